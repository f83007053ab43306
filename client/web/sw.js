// Service worker of both pages (the venue check and the wallet): keeps every file of the page
// so it starts and works with no network. build.sh fills in CACHE_PREFIX (one per page),
// CACHE_VERSION (a hash of the built files) and ASSETS (every file built), so each build gets
// a fresh cache and old ones are dropped. Requests to other paths (the wallet's GET /v1/keys)
// go to the network.
const CACHE_PREFIX = '__CACHE_PREFIX__';
const CACHE_VERSION = '__CACHE_VERSION__';
const ASSETS = __ASSETS__;
const CACHE = `${CACHE_PREFIX}${CACHE_VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(ASSETS.map((a) => new Request(a, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

// Cache first: the files of one build never change, and the device must work when the
// network is gone. A new build is picked up by the browser's update check of sw.js.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(req, { ignoreSearch: true })
      || (req.mode === 'navigate' ? await cache.match('./') : undefined);
    return hit || fetch(req);
  })());
});
