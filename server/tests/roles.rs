//! The deployment roles of `docs/deploy.md` with the real binary: an offline root
//! (`root init`, `root sign`), regional data directories (`init`, `rotate`), the separate
//! ticket authority (`authority init`, `authority ticket`) and regional servers
//! (`serve --key-list --authority-public-key`), with a holder redeeming over HTTP and a venue
//! (the venue library) checking presentations against the list it synced.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::process::{command, run, Served};
use common::{challenge, issuer_key_from, register, unblind};
use greenlight_acl::Token;
use greenlight_api::{KeyListDocument, KeysResponse, StartResponse};
use greenlight_protocol::{root_fingerprint, KeyList, VenueCode};
use greenlight_venue::{SeenSet, TrustedKeyList, VenueConfig};
use rand::rngs::OsRng;
use serde_json::{json, Value};

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn cli(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut cmd: Command = command();
    for a in args {
        cmd.arg(a);
    }
    run(cmd)
}

fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Exit code 2 and one `error:` line; returns stderr.
fn refused(out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with("error: ")), "{stderr}");
    stderr
}

/// `root init`; returns the printed fingerprint.
fn root_init(dir: &Path) -> String {
    let out = ok(cli(&[&"root", &"init", &"--root-dir", &dir]));
    out.lines()
        .find_map(|l| l.strip_prefix("root key fingerprint "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_owned()
}

fn region_init(dir: &Path, region: &str, name: &str) {
    ok(cli(&[
        &"init",
        &"--data-dir",
        &dir,
        &"--region",
        &region,
        &"--issuer-name",
        &name,
    ]));
}

fn root_sign(root: &Path, entries: &[&Path], out: &Path) -> Output {
    let mut cmd = command();
    cmd.args(["root", "sign", "--root-dir"])
        .arg(root)
        .arg("--entries");
    for e in entries {
        cmd.arg(e.join("entry.json"));
    }
    cmd.arg("--out").arg(out);
    run(cmd)
}

fn authority_ticket(adir: &Path, subject: &str, tokens: u16) -> String {
    let out = ok(cli(&[
        &"authority",
        &"ticket",
        &"--authority-dir",
        &adir,
        &"--subject",
        &subject,
        &"--status",
        &"green",
        &"--tokens",
        &tokens.to_string(),
    ]));
    out.lines().last().unwrap().trim().to_owned()
}

fn serve(dir: &Path, list: &Path, adir: &Path) -> Served {
    let list = list.to_str().unwrap().to_owned();
    let authority = adir.join("authority.pub").to_str().unwrap().to_owned();
    Served::start(
        dir,
        &["--key-list", &list, "--authority-public-key", &authority],
        |_| {},
    )
}

/// `serve` on a regional directory that must refuse to start; its stderr.
fn serve_refused(dir: &Path, list: &Path, adir: &Path) -> String {
    let mut cmd = command();
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .arg("--key-list")
        .arg(list)
        .arg("--authority-public-key")
        .arg(adir.join("authority.pub"));
    refused(run(cmd))
}

async fn keys(url: &str) -> KeysResponse {
    reqwest::get(format!("{url}/v1/keys"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A whole ticket redeemed over HTTP under the key the server names (checked by the wallet's
/// rule); the tokens, or the refusing code.
async fn redeem(url: &str, ticket: &str, n: usize) -> Result<Vec<Token>, String> {
    let client = reqwest::Client::new();
    let pk = issuer_key_from(&keys(url).await, now());
    let (holder, registrations) = register(&pk, ticket, n);
    let reply = client
        .post(format!("{url}/v1/issuance/start"))
        .json(&json!({"ticket": ticket, "registrations": registrations}))
        .send()
        .await
        .unwrap();
    let status = reply.status();
    let body: Value = reply.json().await.unwrap();
    if !status.is_success() {
        return Err(body["error"]["code"].as_str().unwrap_or("").to_owned());
    }
    let start: StartResponse = serde_json::from_value(body).unwrap();
    let (holder, challenges) = challenge(holder, &start, now());
    let reply = client
        .post(format!("{url}/v1/issuance/finish"))
        .json(&json!({"session": start.session, "challenges": challenges}))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());
    let body: Value = reply.json().await.unwrap();
    Ok(unblind(holder, &body))
}

/// What `venue sync` does: the server's list, under the pinned root fingerprint; a venue
/// that held a list before accepts only a successor of it from the same root.
async fn venue_sync(
    url: &str,
    pinned: &str,
    held: Option<&VenueConfig>,
    name: &str,
) -> VenueConfig {
    let k = keys(url).await;
    let trust = TrustedKeyList::from_text(&k.root_public_key, &k.key_list)
        .unwrap()
        .with_served_previous(k.previous_key_list.as_deref());
    assert_eq!(trust.fingerprint(), pinned, "the venue's pinned root");
    match held {
        Some(v) => v.with_updated_keys(trust, Vec::new()).unwrap(),
        None => {
            let code = VenueCode::new_with_rng(&mut OsRng, name, 24).unwrap();
            VenueConfig::new(Some(url.to_owned()), trust, code, 1).unwrap()
        }
    }
}

/// A presentation of `token` (issued under the listed key `pk_of` names) checked by `venue`
/// now: the accepting region, or the rejection code.
fn present_at(venue: &VenueConfig, token: &Token, list: &KeyList) -> Result<String, String> {
    let body = list.unverified_body();
    let (issuer, entry) = body.find_key(&token.key_id().0).ok_or("unknown key")?;
    let pk = greenlight_acl::IssuerPublicKey::from_compressed(&entry.public_key).unwrap();
    let slot = (now() / 3600) as u32;
    let pres = greenlight_testkit::present(token, &pk, venue.code(), list, slot, &mut OsRng);
    let verdict = venue.verify(&pres.to_text(), now(), &mut SeenSet::new(), &mut OsRng);
    match verdict.reason() {
        None => Ok(issuer.region.clone()),
        Some(r) => Err(format!("{r:?}")),
    }
}

fn admin_token(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("admin.token"))
        .unwrap()
        .trim()
        .to_owned()
}

/// `POST /v1/admin/key-list` with the list file `list`: status and body.
async fn post_list(url: &str, dir: &Path, list: &Path) -> (u16, Value) {
    let doc: KeyListDocument = serde_json::from_slice(&std::fs::read(list).unwrap()).unwrap();
    let reply = reqwest::Client::new()
        .post(format!("{url}/v1/admin/key-list"))
        .bearer_auth(admin_token(dir))
        .json(&doc)
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

struct Setup {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    authority: PathBuf,
    fingerprint: String,
    list: PathBuf,
}

fn setup(regions: &[(&str, &str, &str)]) -> (Setup, Vec<PathBuf>) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let authority = tmp.path().join("authority");
    let fingerprint = root_init(&root);
    ok(cli(&[
        &"authority",
        &"init",
        &"--authority-dir",
        &authority,
    ]));
    let mut dirs = Vec::new();
    for (dir, region, name) in regions {
        let d = tmp.path().join(dir);
        region_init(&d, region, name);
        dirs.push(d);
    }
    let list = tmp.path().join("keylist.json");
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    ok(root_sign(&root, &refs, &list));
    (
        Setup {
            _tmp: tmp,
            root,
            authority,
            fingerprint,
            list,
        },
        dirs,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_of_region_a_is_accepted_at_a_venue_synced_from_region_b() {
    let (s, dirs) = setup(&[
        ("a", "CN-A", "Region A health"),
        ("b", "CN-B", "Region B health"),
    ]);
    let (dir_a, dir_b) = (&dirs[0], &dirs[1]);

    // Who holds what: the root's and the authority's secrets, 0600 in 0700 directories;
    // no root or authority secret in a regional directory.
    #[cfg(unix)]
    {
        assert_eq!(mode(&s.root), 0o700);
        assert_eq!(mode(&s.root.join("root.key")), 0o600);
        assert_eq!(mode(&s.authority.join("authority.key")), 0o600);
        assert_eq!(mode(dir_a), 0o700);
        assert_eq!(mode(&dir_a.join("issuer.key")), 0o600);
    }
    for d in [dir_a, dir_b] {
        assert!(d.join("entry.json").exists());
        assert!(!d.join("root.key").exists() && !d.join("authority.key").exists());
    }
    // root.pub is the key whose fingerprint was printed.
    let root_hex = std::fs::read_to_string(s.root.join("root.pub")).unwrap();
    let root_bytes: [u8; 32] = hex::decode(root_hex.trim()).unwrap().try_into().unwrap();
    let root_key = greenlight_protocol::verifying_key_from_bytes(&root_bytes).unwrap();
    assert_eq!(root_fingerprint(&root_key), s.fingerprint);

    let a = serve(dir_a, &s.list, &s.authority);
    let b = serve(dir_b, &s.list, &s.authority);
    assert!(!a.report.contains("warning"), "{}", a.report);
    let (ka, kb) = (keys(&a.url).await, keys(&b.url).await);
    // One list, one root, served as given; each server names its own region's key.
    assert_eq!(ka.key_list, kb.key_list);
    assert_eq!(ka.root_public_key, root_hex.trim());
    assert_ne!(ka.issuing_key_id, kb.issuing_key_id);
    let authority_pub = std::fs::read_to_string(s.authority.join("authority.pub")).unwrap();
    assert_eq!(
        ka.authority_public_key.as_deref(),
        Some(authority_pub.trim())
    );
    // The servers pinned the root and kept the list.
    assert_eq!(
        std::fs::read_to_string(dir_a.join("root.pub"))
            .unwrap()
            .trim(),
        root_hex.trim()
    );
    assert!(dir_a.join("key-list.json").exists());

    // A ticket of the separate authority, redeemed in region A.
    let ticket = authority_ticket(&s.authority, "resident-a", 2);
    assert!(ticket.starts_with("GLT1:"));
    let tokens = redeem(&a.url, &ticket, 2).await.unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(hex::encode(tokens[0].key_id().0), ka.issuing_key_id);

    // A venue that synced from region B accepts the region-A resident.
    let venue = venue_sync(&b.url, &s.fingerprint, None, "Cafe B").await;
    let list = KeyList::from_text(&kb.key_list).unwrap();
    assert_eq!(present_at(&venue, &tokens[0], &list), Ok("CN-A".to_owned()));

    // A regional server signs no tickets.
    let reply = reqwest::Client::new()
        .post(format!("{}/v1/admin/tickets", a.url))
        .bearer_auth(admin_token(dir_a))
        .json(&json!({"subject": "x", "status": "green"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 404);
}

/// Copies a (not yet served) regional directory: what a rogue node of the region starts from.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// A second list the root in `root_dir` signs with `public`'s sequence and keys, but another
/// `issued_at`: a fork, such as a coerced or compromised root could serve to some clients.
fn fork_of(root_dir: &Path, public: &KeyList) -> KeyList {
    let seed = std::fs::read_to_string(root_dir.join("root.key")).unwrap();
    let seed: [u8; 32] = hex::decode(seed.trim()).unwrap().try_into().unwrap();
    let body = public.unverified_body();
    greenlight_protocol::KeyListBody::new(
        body.sequence(),
        body.issued_at() + 1,
        body.issuers().to_vec(),
    )
    .unwrap()
    .sign(&greenlight_protocol::SigningKey::from_bytes(&seed))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_view_served_to_one_wallet_is_detected_at_the_door() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    // A second list signed by the same root (coerced or compromised): the same sequence and
    // keys as the published one, but another list — served by a rogue node of the region to
    // one wallet only, so that its holder can be told apart.
    let published: KeyListDocument =
        serde_json::from_slice(&std::fs::read(&s.list).unwrap()).unwrap();
    let public = KeyList::from_text(&published.key_list).unwrap();
    let private = fork_of(&s.root, &public);
    let private_file = s.root.join("private.json");
    std::fs::write(
        &private_file,
        serde_json::to_vec(&KeyListDocument {
            previous_key_list: None,
            key_list: private.to_text(),
            ..published
        })
        .unwrap(),
    )
    .unwrap();
    let rogue_dir = s.root.parent().unwrap().join("rogue");
    copy_dir(dir, &rogue_dir);
    let honest = serve(dir, &s.list, &s.authority);
    let rogue = serve(&rogue_dir, &private_file, &s.authority);

    // The targeted wallet fetches the private list and redeems from the rogue node: nothing
    // in the list itself is wrong (the root signed it, the wallet's anti-tagging rules pass).
    let served = keys(&rogue.url).await;
    assert_eq!(served.key_list, private.to_text());
    let ticket = authority_ticket(&s.authority, "resident-targeted", 1);
    let tokens = redeem(&rogue.url, &ticket, 1).await.unwrap();

    // The venue synced from the honest node. The wallet's presentation is bound to the list
    // it holds, which no venue holds: refused, with its own reason.
    let venue = venue_sync(&honest.url, &s.fingerprint, None, "Cafe").await;
    assert_eq!(
        present_at(&venue, &tokens[0], &private),
        Err("Check(KeyListMismatch)".to_owned())
    );
    // The same token under the public list passes: what differs is only the list.
    assert_eq!(
        present_at(&venue, &tokens[0], &public),
        Ok("CN-A".to_owned())
    );
}

/// `witness init`; returns the printed public key.
fn witness_init(dir: &Path) -> String {
    let out = ok(cli(&[&"witness", &"init", &"--witness-dir", &dir]));
    out.lines()
        .find_map(|l| l.strip_prefix("witness public key "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_owned()
}

fn witness_cosign(dir: &Path, list: &Path) -> Output {
    cli(&[
        &"witness",
        &"cosign",
        &"--witness-dir",
        &dir,
        &"--key-list",
        &list,
    ])
}

fn policy(witnesses: &[&str], quorum: usize) -> greenlight_protocol::WitnessPolicy {
    greenlight_venue::WitnessPolicyFile {
        keys: witnesses.iter().map(|w| (*w).to_owned()).collect(),
        quorum,
        max_age_secs: greenlight_protocol::DEFAULT_WITNESS_MAX_AGE_SECS,
    }
    .to_policy()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn witnesses_cosign_the_public_list_only_and_venues_requiring_them_refuse_a_fork() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    let tmp = s.root.parent().unwrap();
    let (w1_dir, w2_dir, w3_dir) = (tmp.join("w1"), tmp.join("w2"), tmp.join("w3"));
    let (w1, w2, w3) = (
        witness_init(&w1_dir),
        witness_init(&w2_dir),
        witness_init(&w3_dir),
    );
    assert_eq!(mode(&w1_dir.join("witness.key")), 0o600);
    // Two witnesses cosign the published list in place; the file keeps one per witness.
    let first = ok(witness_cosign(&w1_dir, &s.list));
    assert!(first.starts_with("cosigned key list version 1"), "{first}");
    ok(witness_cosign(&w2_dir, &s.list));
    let again = ok(witness_cosign(&w1_dir, &s.list));
    assert!(again.starts_with("re-cosigned"), "{again}");
    // One cosign at a time per witness (the lock a running one holds, or a crashed one left).
    std::fs::write(w1_dir.join(".cosign.lock"), b"").unwrap();
    let busy = refused(witness_cosign(&w1_dir, &s.list));
    assert!(
        busy.contains("another `witness cosign` is running"),
        "{busy}"
    );
    std::fs::remove_file(w1_dir.join(".cosign.lock")).unwrap();
    let published: KeyListDocument =
        serde_json::from_slice(&std::fs::read(&s.list).unwrap()).unwrap();
    assert_eq!(published.cosignatures.len(), 2);

    // A fork — same root, same sequence, another list — is refused by a witness that
    // cosigned the public one, and the file is left as it was.
    let public = KeyList::from_text(&published.key_list).unwrap();
    let private = fork_of(&s.root, &public);
    let private_file = tmp.join("private.json");
    // The rogue copies the public list's cosignatures: they do not verify for its list.
    let private_doc = serde_json::to_vec(&KeyListDocument {
        previous_key_list: None,
        key_list: private.to_text(),
        ..published.clone()
    })
    .unwrap();
    std::fs::write(&private_file, &private_doc).unwrap();
    let refusal = refused(witness_cosign(&w1_dir, &private_file));
    assert!(refusal.contains("refuses to cosign"), "{refusal}");
    assert_eq!(std::fs::read(&private_file).unwrap(), private_doc);
    // A witness that never saw the public list would cosign the fork: which is why a venue
    // asks for a quorum of witnesses it chose, not any cosignature.
    ok(witness_cosign(&w3_dir, &private_file));

    let rogue_dir = tmp.join("rogue");
    copy_dir(dir, &rogue_dir);
    let honest = serve(dir, &s.list, &s.authority);
    let rogue = serve(&rogue_dir, &private_file, &s.authority);
    let honest_keys = keys(&honest.url).await;
    assert_eq!(honest_keys.cosignatures.len(), 2);
    // The server publishes only cosignatures that verify for the list it serves.
    let rogue_keys = keys(&rogue.url).await;
    assert_eq!(rogue_keys.key_list, private.to_text());
    assert_eq!(rogue_keys.cosignatures.len(), 1);
    assert!(rogue_keys.cosignatures[0].witness == w3);

    // A venue requiring 2 of {w1, w2, w3} (the rule `venue init --witness … --witness-quorum 2`
    // and `venue sync` apply): the honest node's list passes, the rogue's does not.
    let policy = policy(&[&w1, &w2, &w3], 2);
    let accepted =
        greenlight_venue::accept_keys(&honest_keys, None, None, Some((&policy, now()))).unwrap();
    assert_eq!(accepted.cosignatures.len(), 2);
    let refusal =
        greenlight_venue::accept_keys(&rogue_keys, None, None, Some((&policy, now()))).unwrap_err();
    assert!(
        matches!(refusal, greenlight_venue::KeysRefusal::NotWitnessed(_)),
        "{refusal:?}"
    );
    // Nor can the rogue keep a venue that holds the public list (its list is no successor).
    assert!(greenlight_venue::accept_keys(
        &rogue_keys,
        Some(&accepted.trust),
        None,
        Some((&policy, now()))
    )
    .is_err());
    // A week on, without a re-cosignature, the same list no longer passes: a venue kept on a
    // list the witnesses stopped vouching for notices.
    let later = now() + 8 * 86_400;
    assert!(matches!(
        greenlight_venue::accept_keys(&honest_keys, None, None, Some((&policy, later))),
        Err(greenlight_venue::KeysRefusal::NotWitnessed(_))
    ));

    // New cosignatures reach a running server without a restart: the admin call (as SIGHUP)
    // loads the same list with one more, and `/v1/keys` publishes it at once.
    let w4_dir = tmp.join("w4");
    let w4 = witness_init(&w4_dir);
    ok(witness_cosign(&w4_dir, &s.list));
    let (status, loaded) = post_list(&honest.url, dir, &s.list).await;
    assert_eq!(status, 200, "{loaded}");
    assert_eq!(loaded["changed"], json!(false));
    assert_eq!(loaded["cosignatures"], json!(3));
    assert_eq!(loaded["cosignatures_changed"], json!(true));
    let refreshed = keys(&honest.url).await;
    assert_eq!(refreshed.cosignatures.len(), 3);
    assert!(refreshed.cosignatures.iter().any(|c| c.witness == w4));
    // A copy of the same list without them (the root's own file, say) takes nothing away.
    let bare = tmp.join("bare.json");
    std::fs::write(
        &bare,
        serde_json::to_vec(&KeyListDocument {
            cosignatures: Vec::new(),
            ..published.clone()
        })
        .unwrap(),
    )
    .unwrap();
    let (status, loaded) = post_list(&honest.url, dir, &bare).await;
    assert_eq!(status, 200, "{loaded}");
    assert_eq!(loaded["cosignatures_changed"], json!(false));
    assert_eq!(keys(&honest.url).await.cosignatures.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_keeps_old_tokens_valid_and_issues_under_the_new_key_without_a_repin() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    let first_list = s.list.with_file_name("keylist-1.json");
    std::fs::copy(&s.list, &first_list).unwrap();
    let server = serve(dir, &s.list, &s.authority);
    let before = keys(&server.url).await;
    let old_tokens = redeem(&server.url, &authority_ticket(&s.authority, "rot-1", 2), 2)
        .await
        .unwrap();
    let venue = venue_sync(&server.url, &s.fingerprint, None, "Cafe").await;

    // A second rotation right away would make three keys issue at once: refused.
    let out = ok(cli(&[
        &"rotate",
        &"--data-dir",
        &dir,
        &"--starts-in",
        &"0s",
    ]));
    let new_id = out.split_whitespace().nth(3).unwrap().to_owned();
    let stderr = refused(cli(&[
        &"rotate",
        &"--data-dir",
        &dir,
        &"--starts-in",
        &"0s",
    ]));
    assert!(stderr.contains("issuing at once"), "{stderr}");

    // Until the root signs it, the server goes on with the listed key.
    assert_eq!(
        keys(&server.url).await.issuing_key_id,
        before.issuing_key_id
    );
    ok(root_sign(&s.root, &[dir], &s.list));
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(20);
    let after = loop {
        let k = keys(&server.url).await;
        if k.issuing_key_id != before.issuing_key_id {
            break k;
        }
        assert!(
            Instant::now() < deadline,
            "SIGHUP did not load the new list"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(after.issuing_key_id, new_id);
    assert_eq!(after.root_public_key, before.root_public_key);
    assert!(server.stderr_so_far().contains("key list loaded (SIGHUP)"));

    // New tokens come from the new key.
    let new_tokens = redeem(&server.url, &authority_ticket(&s.authority, "rot-2", 2), 2)
        .await
        .unwrap();
    assert_eq!(hex::encode(new_tokens[0].key_id().0), new_id);

    // The venue syncs the successor under the same pinned root (no re-pin) and accepts both
    // the old key's and the new key's tokens.
    let venue = venue_sync(&server.url, &s.fingerprint, Some(&venue), "Cafe").await;
    let list = KeyList::from_text(&after.key_list).unwrap();
    assert_eq!(list.unverified_body().sequence(), 2);
    assert_eq!(present_at(&venue, &old_tokens[1], &list), Ok("CN-A".into()));
    assert_eq!(present_at(&venue, &new_tokens[0], &list), Ok("CN-A".into()));
    // The root wrote the list it succeeded into the file, and the server publishes it: the
    // venue holds it as its previous list, so a wallet that has not fetched the new list yet
    // (bound to the first one) is accepted too.
    assert_eq!(after.previous_key_list.as_deref(), Some(&*before.key_list));
    assert!(
        before.previous_key_list.is_none(),
        "the first list has none"
    );
    let first = KeyList::from_text(&before.key_list).unwrap();
    assert_eq!(venue.trust().previous_key_list(), Some(&first));
    assert_eq!(
        present_at(&venue, &old_tokens[0], &first),
        Ok("CN-A".into())
    );

    // `load-key-list` (the admin call from the command line): the same list again changes
    // nothing; the first list (not a successor) is refused, exit 2, with the server's reason.
    let load = |list: &Path| {
        let mut cmd = command();
        cmd.args(["load-key-list", "--data-dir"])
            .arg(dir)
            .args(["--server", &server.url, "--key-list"])
            .arg(list);
        run(cmd)
    };
    let out = ok(load(&s.list));
    assert!(
        out.contains("key list version 2 was already served"),
        "{out}"
    );
    let stderr = refused(load(&first_list));
    assert!(
        stderr.contains("refused the request: key list refused: not a valid successor"),
        "{stderr}"
    );

    // The admin call loads too: the same list again changes nothing; the first list (not a
    // successor) is refused, and the new one keeps serving.
    let (status, body) = post_list(&server.url, dir, &s.list).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["changed"], false);
    assert_eq!(body["sequence"], 2);
    let (status, body) = post_list(&server.url, dir, &first_list).await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("not a valid successor"), "{message}");
    assert_eq!(keys(&server.url).await.key_list, after.key_list);
    let (status, _) = reqwest::Client::new()
        .post(format!("{}/v1/admin/key-list", server.url))
        .json(&json!({"version": 1, "root_public_key": "", "key_list": ""}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 401, "the admin call needs the token");

    // A restart with the old list file is refused as well (the data directory kept the new).
    let (code, _) = server.stop();
    assert!(code.success());
    let stderr = serve_refused(dir, &first_list, &s.authority);
    assert!(stderr.contains("not a valid successor"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_from_another_root_is_refused_and_the_pinned_one_keeps_serving() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    let server = serve(dir, &s.list, &s.authority);
    let served = keys(&server.url).await;

    // Another root signs the same region's entry: a valid list, but not from the pinned root.
    let other_root = s.root.with_file_name("other-root");
    root_init(&other_root);
    let foreign = s.list.with_file_name("foreign.json");
    ok(root_sign(&other_root, &[dir], &foreign));

    let (status, body) = post_list(&server.url, dir, &foreign).await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("pinned to root"), "{message}");
    // SIGHUP with the foreign list in place of the file: refused, logged, old list stays.
    std::fs::copy(&foreign, &s.list).unwrap();
    server.signal("HUP");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.stderr_so_far().contains("was refused (SIGHUP)") {
        assert!(Instant::now() < deadline, "{}", server.stderr_so_far());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(keys(&server.url).await, served);
    let (code, _) = server.stop();
    assert!(code.success());

    // At start too, even with `root.pub` removed by hand: the kept list's root stays pinned.
    std::fs::remove_file(dir.join("root.pub")).unwrap();
    let stderr = serve_refused(dir, &foreign, &s.authority);
    assert!(stderr.contains("pinned to root"), "{stderr}");
}

#[test]
fn the_root_refuses_to_sign_a_list_that_could_tag_holders() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let tmp = s.root.parent().unwrap().to_path_buf();

    // A look-alike of a listed region.
    let look_alike = tmp.join("look-alike");
    region_init(&look_alike, "cn-a", "Region A2 health");
    let out = tmp.join("refused.json");
    let stderr = refused(root_sign(&s.root, &[&look_alike], &out));
    assert!(stderr.contains("look alike"), "{stderr}");
    assert!(!out.exists(), "nothing written on a refusal");

    // A key issuing for one day only (an entry edited by hand).
    let path = dirs[0].join("entry.json");
    let mut entry: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let from = entry["keys"][0]["issue_from"].as_u64().unwrap();
    let short = tmp.join("short");
    region_init(&short, "CN-S", "Region S health");
    let short_path = short.join("entry.json");
    let mut short_entry: Value =
        serde_json::from_slice(&std::fs::read(&short_path).unwrap()).unwrap();
    short_entry["keys"][0]["issue_until"] = json!(from + 86_400);
    std::fs::write(&short_path, serde_json::to_vec(&short_entry).unwrap()).unwrap();
    let stderr = refused(root_sign(&s.root, &[&short], &out));
    assert!(stderr.contains("issues for only"), "{stderr}");

    // A key whose start moved: not a successor.
    entry["keys"][0]["issue_from"] = json!(from + 1);
    std::fs::write(&path, serde_json::to_vec(&entry).unwrap()).unwrap();
    let stderr = refused(root_sign(&s.root, &[&dirs[0]], &out));
    assert!(stderr.contains("not a valid successor"), "{stderr}");
    assert!(!out.exists());

    // The root's list is still version 1: the next good signing is version 2.
    entry["keys"][0]["issue_from"] = json!(from);
    std::fs::write(&path, serde_json::to_vec(&entry).unwrap()).unwrap();
    let signed = root_sign(&s.root, &[&dirs[0]], &out);
    // Version 1 was signed a moment ago: signed, with a warning that wallets not yet on it
    // are refused at venues syncing version 2 until they go online (spec §7.3).
    let warning = String::from_utf8_lossy(&signed.stderr).into_owned();
    assert!(
        warning.contains("warning: the previous key list is only 0 min old"),
        "{warning}"
    );
    let stdout = ok(signed);
    assert!(stdout.contains("version 2"), "{stdout}");
    // A bare file name for --out: written in the current directory.
    let mut cmd = command();
    cmd.current_dir(&tmp)
        .args(["root", "sign", "--root-dir"])
        .arg(&s.root)
        .args(["--entries"])
        .arg(dirs[0].join("entry.json"))
        .args(["--out", "bare.json"]);
    let stdout = ok(run(cmd));
    assert!(stdout.contains("version 3"), "{stdout}");
    assert!(tmp.join("bare.json").exists());

    // Init and root init refuse to overwrite.
    let stderr = refused(cli(&[&"root", &"init", &"--root-dir", &s.root]));
    assert!(stderr.contains("already exists"), "{stderr}");
    let stderr = refused(cli(&[
        &"init",
        &"--data-dir",
        &dirs[0],
        &"--region",
        &"CN-A",
        &"--issuer-name",
        &"x",
    ]));
    assert!(stderr.contains("already exists"), "{stderr}");
    let stderr = refused(cli(&[
        &"authority",
        &"init",
        &"--authority-dir",
        &s.authority,
    ]));
    assert!(stderr.contains("already exists"), "{stderr}");
}

#[test]
fn a_regional_directory_needs_its_list_and_the_authority_key() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    let serve_with = |args: &[&dyn AsRef<std::ffi::OsStr>]| {
        let mut cmd = command();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir);
        for a in args {
            cmd.arg(a);
        }
        run(cmd)
    };
    let stderr = refused(serve_with(&[]));
    assert!(stderr.contains("--key-list"), "{stderr}");
    let stderr = refused(serve_with(&[&"--key-list", &s.list]));
    assert!(stderr.contains("--authority-public-key"), "{stderr}");
    let stderr = refused(cli(&[
        &"ticket",
        &"--data-dir",
        &dir,
        &"--subject",
        &"s-1",
        &"--status",
        &"green",
    ]));
    assert!(stderr.contains("authority ticket"), "{stderr}");
    // Nothing was created: no development keys in a regional directory.
    assert!(!dir.join("root.key").exists() && !dir.join("issuer.json").exists());

    // --key-list on a development directory is refused.
    let dev = s.root.with_file_name("dev");
    let out = {
        let mut cmd = command();
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&dev)
            .arg("--key-list")
            .arg(&s.list);
        run(cmd)
    };
    let stderr = refused(out);
    assert!(stderr.contains("regional data directory"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn the_development_default_warns_that_the_root_is_online() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Served::start(&tmp.path().join("dev"), &[], |_| {});
    let (_, stderr) = server.stop();
    assert!(
        stderr.contains("warning: the root key is online"),
        "{stderr}"
    );
}

/// One region on a regional directory, served in process (no socket, `app` called directly):
/// its root, authority, directory, list file and state, at the fake clock's time.
/// (Bind `_tmp` when destructuring: it keeps the directories.)
struct InProcess {
    root: PathBuf,
    adir: PathBuf,
    dir: PathBuf,
    list: PathBuf,
    init_key_id: String,
    state: greenlight_server::AppState,
    _tmp: tempfile::TempDir,
}

fn in_process(clock: &greenlight_server::FakeClock) -> InProcess {
    use greenlight_server::{AppState, Clock, ServerConfig};
    let tmp = tempfile::tempdir().unwrap();
    let (root, adir, dir) = (
        tmp.path().join("root"),
        tmp.path().join("authority"),
        tmp.path().join("a"),
    );
    let list = tmp.path().join("keylist.json");
    let t0 = clock.now_unix();
    greenlight_server::root_init(&root).unwrap();
    greenlight_server::authority_init(&adir).unwrap();
    let init = greenlight_server::region_init(&dir, "CN-A", "Region A health", t0).unwrap();
    greenlight_server::root_sign(&root, &[dir.join("entry.json")], &list, t0).unwrap();
    let mut config = ServerConfig::new(&dir).with_clock(clock.clone());
    config.key_list = Some(list.clone());
    config.authority_public_key = Some(adir.join("authority.pub"));
    let state = AppState::open(&config).unwrap();
    InProcess {
        root,
        adir,
        dir,
        list,
        init_key_id: init.key_id,
        state,
        _tmp: tmp,
    }
}

/// One request through the state's router: the status and the body (as JSON, or the body's
/// text as a JSON string if it is not JSON).
async fn call(
    state: &greenlight_server::AppState,
    method: axum::http::Method,
    uri: &str,
    body: Value,
    token: Option<&str>,
) -> (axum::http::StatusCode, Value) {
    use tower::ServiceExt;
    let req = common::request(method, uri, Some(body), token, None);
    let response = greenlight_server::app(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value = serde_json::from_slice::<Value>(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

/// `start` of `n` tokens of `ticket` registered for `key`, through `call`; must be 200.
async fn start_batch<F, Fut>(
    call: &F,
    key: &greenlight_acl::IssuerPublicKey,
    ticket: &str,
    n: usize,
) -> (greenlight_testkit::Batch, StartResponse)
where
    F: Fn(axum::http::Method, &str, Value) -> Fut,
    Fut: std::future::Future<Output = (axum::http::StatusCode, Value)>,
{
    let (holder, registrations) = register(key, ticket, n);
    let (status, body) = call(
        axum::http::Method::POST,
        "/v1/issuance/start",
        json!({"ticket": ticket, "registrations": registrations}),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
    (holder, serde_json::from_value(body).unwrap())
}

/// The `finish` of [`start_batch`]'s session; must be 200; the tokens, verified.
async fn finish_batch<F, Fut>(
    call: &F,
    holder: greenlight_testkit::Batch,
    start: &StartResponse,
) -> Vec<Token>
where
    F: Fn(axum::http::Method, &str, Value) -> Fut,
    Fut: std::future::Future<Output = (axum::http::StatusCode, Value)>,
{
    let (holder, challenges) = challenge(holder, start, now());
    let (status, body) = call(
        axum::http::Method::POST,
        "/v1/issuance/finish",
        json!({"session": start.session, "challenges": challenges}),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
    unblind(holder, &body)
}

/// In process: a session started under the old key is finished under it after a new list
/// made another key current (the swap is atomic for requests in flight).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_started_before_a_reload_is_answered_with_its_own_key() {
    use axum::http::Method;
    use greenlight_server::{FakeClock, TicketRequest};

    // One instant for the server's (fake) clock and every signature and rotation: a second
    // boundary crossed between them must not move the new key's start past the clock.
    let t = now();
    let InProcess {
        root,
        adir,
        dir,
        list,
        state,
        _tmp,
        ..
    } = in_process(&FakeClock::new(t));
    let call = |method: Method, uri: &str, body: Value| {
        let state = state.clone();
        let uri = uri.to_owned();
        async move { call(&state, method, &uri, body, None).await }
    };

    let authority = greenlight_server::load_authority_dir_key(&adir).unwrap();
    let ticket = greenlight_server::sign_ticket(
        &authority,
        &TicketRequest::new("inflight", greenlight_protocol::Status::Green).tokens(2),
        t,
    )
    .unwrap()
    .text;
    let old_key = state.issuer_public_key().unwrap();
    let (holder, start) = start_batch(&call, &old_key, &ticket, 2).await;

    // Rotation signed and loaded between start and finish.
    let rotated = greenlight_server::rotate(&dir, t, 0).unwrap();
    greenlight_server::root_sign(&root, &[dir.join("entry.json")], &list, t).unwrap();
    let loaded = state.load_key_list_file(&list).unwrap();
    assert!(loaded.changed);
    assert_eq!(loaded.issuing_key_id, rotated.key_id);
    assert_eq!(
        hex::encode(state.issuing_key_id().unwrap().0),
        rotated.key_id
    );

    let tokens = finish_batch(&call, holder, &start).await;
    assert_eq!(tokens[0].key_id(), old_key.key_id());

    // A wallet that fetched the key list just before the switch registers for the old key:
    // while that key still issues (both do during a rotation), its start is served under it,
    // not refused; one that registers for the new key gets the new key.
    let new_key = state.issuer_public_key().unwrap();
    assert_ne!(new_key.key_id(), old_key.key_id());
    for (n, key) in [(1, &old_key), (2, &new_key)] {
        let ticket = greenlight_server::sign_ticket(
            &authority,
            &TicketRequest::new(format!("late-{n}"), greenlight_protocol::Status::Green).tokens(1),
            t,
        )
        .unwrap()
        .text;
        let (holder, start) = start_batch(&call, key, &ticket, 1).await;
        let tokens = finish_batch(&call, holder, &start).await;
        assert_eq!(tokens[0].key_id(), key.key_id());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_regional_key_stops_issuing_at_once_and_is_signed_into_the_next_list() {
    let (s, dirs) = setup(&[("a", "CN-A", "Region A health")]);
    let dir = &dirs[0];
    let server = serve(dir, &s.list, &s.authority);
    let first = keys(&server.url).await;
    let old_tokens = redeem(&server.url, &authority_ticket(&s.authority, "rk-1", 1), 1)
        .await
        .unwrap();
    ok(cli(&[
        &"rotate",
        &"--data-dir",
        &dir,
        &"--starts-in",
        &"0s",
    ]));
    ok(root_sign(&s.root, &[dir], &s.list));
    let (status, body) = post_list(&server.url, dir, &s.list).await;
    assert_eq!(status, 200, "{body}");
    let new_id = body["issuing_key_id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, first.issuing_key_id);
    let new_tokens = redeem(&server.url, &authority_ticket(&s.authority, "rk-2", 1), 1)
        .await
        .unwrap();
    let (code, _) = server.stop();
    assert!(code.success());

    // Two keys not revoked: which one must be said.
    let stderr = refused(cli(&[&"revoke-key", &"--data-dir", &dir]));
    assert!(stderr.contains("--key-id"), "{stderr}");
    let out = ok(cli(&[
        &"revoke-key",
        &"--data-dir",
        &dir,
        &"--key-id",
        &new_id,
    ]));
    assert!(out.contains("is revoked"), "{out}");
    let out = ok(cli(&[
        &"revoke-key",
        &"--data-dir",
        &dir,
        &"--key-id",
        &new_id,
    ]));
    assert!(out.contains("already revoked"), "{out}");
    let entry: Value =
        serde_json::from_slice(&std::fs::read(dir.join("entry.json")).unwrap()).unwrap();
    assert_eq!(entry["keys"][1]["key_id"], new_id.as_str());
    assert_eq!(entry["keys"][1]["revoked"], true);
    assert_eq!(entry["keys"][0]["revoked"], false);

    // Before the root signs it, the server already stops issuing under it: back to the
    // older key, still in its period.
    let server = serve(dir, &s.list, &s.authority);
    assert_eq!(keys(&server.url).await.issuing_key_id, first.issuing_key_id);
    let again = redeem(&server.url, &authority_ticket(&s.authority, "rk-3", 1), 1)
        .await
        .unwrap();
    assert_eq!(hex::encode(again[0].key_id().0), first.issuing_key_id);

    // The root signs the revocation; venues that sync it refuse the revoked key's tokens and
    // keep accepting the other key's.
    let venue_before = venue_sync(&server.url, &s.fingerprint, None, "Cafe").await;
    ok(root_sign(&s.root, &[dir], &s.list));
    let (status, body) = post_list(&server.url, dir, &s.list).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sequence"], 3);
    let venue = venue_sync(&server.url, &s.fingerprint, Some(&venue_before), "Cafe").await;
    let list = KeyList::from_text(&keys(&server.url).await.key_list).unwrap();
    assert!(
        list.unverified_body()
            .find_key(&new_tokens[0].key_id().0)
            .unwrap()
            .1
            .revoked
    );
    assert_eq!(present_at(&venue, &old_tokens[0], &list), Ok("CN-A".into()));
    assert!(present_at(&venue, &new_tokens[0], &list).is_err());
}

/// In process, with a fake clock: a key published ahead (`rotate --starts-in`) is listed at
/// once but issued under only from its start; until then the server keeps the old key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_published_ahead_is_issued_under_from_its_start() {
    use greenlight_server::FakeClock;

    let t0 = now();
    let clock = FakeClock::new(t0);
    let InProcess {
        root,
        dir,
        list,
        init_key_id,
        state,
        _tmp,
        ..
    } = in_process(&clock);
    let current = || hex::encode(state.issuing_key_id().unwrap().0);
    assert_eq!(current(), init_key_id);

    let rotated = greenlight_server::rotate(&dir, t0, 86_400).unwrap();
    assert_eq!(rotated.issue_from, t0 + 86_400);
    greenlight_server::root_sign(&root, &[dir.join("entry.json")], &list, t0).unwrap();
    let loaded = state.load_key_list_file(&list).unwrap();
    // Listed, not yet issuing: the old key stays current.
    assert_eq!(loaded.issuing_key_id, init_key_id);
    let key_id: [u8; 8] = hex::decode(&rotated.key_id).unwrap().try_into().unwrap();
    assert!(state
        .key_list()
        .unverified_body()
        .find_key(&key_id)
        .is_some());
    clock.set(t0 + 86_399);
    assert_eq!(current(), init_key_id);
    clock.set(t0 + 86_400);
    assert_eq!(current(), rotated.key_id);
}

/// A national list can be larger than the 64 KiB body limit of the other routes: the admin
/// call takes the largest list there is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_call_loads_a_list_larger_than_the_usual_body_limit() {
    use axum::http::{Method, StatusCode};
    use greenlight_protocol::{IssuerEntry, IssuerKeyEntry, KeyListBody, SigningKey};
    use greenlight_server::FakeClock;

    let InProcess {
        root, state, _tmp, ..
    } = in_process(&FakeClock::new(now()));
    let held = state.key_list();
    let body = held.unverified_body();
    let mut issuers = body.issuers().to_vec();
    for r in 0..60u8 {
        issuers.push(IssuerEntry {
            region: format!("XR-{r:02}"),
            display_name: format!("Region {r:02} health"),
            keys: (0..12u8)
                .map(|k| {
                    IssuerKeyEntry::new(
                        [
                            r, k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                            19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                        ],
                        1,
                        2,
                        3,
                    )
                })
                .collect(),
        });
    }
    let seed = std::fs::read_to_string(root.join("root.key")).unwrap();
    let seed: [u8; 32] = hex::decode(seed.trim()).unwrap().try_into().unwrap();
    let big = KeyListBody::new(body.sequence() + 1, body.issued_at() + 1, issuers)
        .unwrap()
        .sign(&SigningKey::from_bytes(&seed));
    let doc = KeyListDocument {
        version: 1,
        root_public_key: hex::encode(state.root_public_key().as_bytes()),
        key_list: big.to_text(),
        previous_key_list: None,
        cosignatures: Vec::new(),
    };
    let json = serde_json::to_value(&doc).unwrap();
    assert!(serde_json::to_vec(&json).unwrap().len() > 64 * 1024);

    let (status, body) = call(
        &state,
        Method::POST,
        "/v1/admin/key-list",
        json,
        Some(state.admin_token()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(state.key_list(), big);
}
