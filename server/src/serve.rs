//! Serving: the listener loop with graceful shutdown and periodic sweeps, and
//! [`EphemeralServer`] for the in-process demo and end-to-end tests.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::app;
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::state::AppState;
use crate::tickets::TicketRequest;

/// How often expired sessions and idle rate-limit buckets are dropped.
const SWEEP_INTERVAL: Duration = Duration::from_secs(5);
/// How often records the issuance rules no longer need are removed from the store, and the
/// store compacted if that (or an appeal) removed anything (every this many session sweeps:
/// hourly).
const STORE_SWEEP_EVERY: u64 = 720;

/// Serves [`app`]`(state)` on `listener` until `shutdown` completes, then stops accepting,
/// lets in-flight requests finish and returns. Client addresses are passed to the app (for
/// the per-client rate limit only). Also runs the periodic sweeps.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let sweeper = tokio::spawn(sweep_loop(state.clone()));
    let result = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    // The sweeper holds a state clone; wait until it is gone so the store is released.
    let _ = sweeper.await;
    result.map_err(|e| ServerError::io("serving HTTP", e))
}

async fn sweep_loop(state: AppState) {
    let mut tick = tokio::time::interval(SWEEP_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut round: u64 = 0;
    loop {
        tick.tick().await;
        state.sweep();
        if state.has_shared_sessions() {
            let st = state.clone();
            match tokio::task::spawn_blocking(move || st.sweep_shared_sessions()).await {
                Ok(Ok(_)) => {}
                // The requests that need the database already report it unavailable.
                Ok(Err(e)) => tracing::debug!(error = %e, "sweeping shared sessions failed"),
                Err(e) => tracing::warn!(error = %e, "the session sweep task failed"),
            }
        }
        round += 1;
        if round >= STORE_SWEEP_EVERY {
            round = 0;
            let st = state.clone();
            match tokio::task::spawn_blocking(move || st.sweep_store()).await {
                Ok(Ok(swept)) => tracing::debug!(
                    tickets = swept.tickets,
                    subjects = swept.subjects,
                    "expired store records removed"
                ),
                Ok(Err(e)) => tracing::warn!(error = %e, "sweeping the revocation store failed"),
                Err(e) => tracing::warn!(error = %e, "the store sweep task failed"),
            }
        }
    }
}

/// Completes on Ctrl-C (SIGINT) or (on Unix) SIGTERM.
///
/// On Unix the handlers are installed when this is *called*, not when the future is first
/// polled: call it before announcing readiness (`listening on …`), so that a supervisor's
/// SIGTERM right after that line stops the server gracefully instead of killing it. Must be
/// called inside a Tokio runtime.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            // A handler that could not be installed never completes its branch.
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt) => {},
                () = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}

/// The `SIGHUP` handler, installed as early as the port is bound (before the data directory
/// is opened): from then on a `kill -HUP` meant for the regional servers on the same host
/// never kills this one, whatever it is and however far its start has come. `None` if it
/// cannot be installed (logged) or off Unix. Must be called inside a Tokio runtime.
pub fn hangup_signal() -> Option<HangupSignal> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::hangup()) {
            Ok(s) => Some(HangupSignal(s)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot install the SIGHUP handler: reload the key list with the admin call");
                None
            }
        }
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// An installed `SIGHUP` handler ([`hangup_signal`]).
pub struct HangupSignal(#[cfg(unix)] tokio::signal::unix::Signal);

/// On a regional server (`serve --key-list`), reloads the `--key-list` file on every
/// `SIGHUP` ([`AppState::load_key_list_file`]): a new list is served from then on, a refused
/// one is logged with its reason and the list served before stays. A development server
/// (which signs its own list) logs that it ignores the signal. Must be called inside a
/// Tokio runtime.
pub fn reload_on_hangup(state: &AppState, hangup: HangupSignal) -> JoinHandle<()> {
    let path = state.key_list_path().map(Path::to_path_buf);
    let state = state.clone();
    #[cfg(unix)]
    let mut hangup = hangup.0;
    #[cfg(not(unix))]
    let _ = hangup;
    tokio::spawn(async move {
        #[cfg(unix)]
        while hangup.recv().await.is_some() {
            let Some(p) = path.clone() else {
                tracing::warn!("SIGHUP ignored: this development server signs its own key list (nothing to reload)");
                continue;
            };
            let st = state.clone();
            match tokio::task::spawn_blocking(move || st.load_key_list_file(&p)).await {
                Ok(Ok(loaded)) => tracing::info!(
                    sequence = loaded.sequence,
                    changed = loaded.changed,
                    cosignatures = loaded.cosignatures,
                    cosignatures_changed = loaded.cosignatures_changed,
                    issuing_key_id = %loaded.issuing_key_id,
                    "key list loaded (SIGHUP)"
                ),
                Ok(Err(e)) => tracing::error!(
                    error = %e,
                    "the key list file was refused (SIGHUP); the list served before stays"
                ),
                Err(e) => tracing::warn!(error = %e, "the key list reload task failed"),
            }
        }
        #[cfg(not(unix))]
        let _ = (path, state);
    })
}

/// A real server on `127.0.0.1` with a free port, in this process: for the demo and
/// end-to-end tests.
pub struct EphemeralServer {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
    /// The admin bearer token.
    pub admin_token: String,
    state: Option<AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
    addr: SocketAddr,
    // Dropped last (field order), after the store is closed.
    dir: Option<tempfile::TempDir>,
}

impl EphemeralServer {
    /// A server on a fresh temporary data directory, removed when the server is dropped.
    pub async fn start() -> Result<Self, ServerError> {
        let dir = tempfile::Builder::new()
            .prefix("greenlight-server-")
            .tempdir()
            .map_err(|e| ServerError::io("creating a temporary data directory", e))?;
        let mut server = Self::start_with(ServerConfig::new(dir.path())).await?;
        server.dir = Some(dir);
        Ok(server)
    }

    /// A server on `data_dir` (created if needed, kept afterwards): restart tests start one,
    /// shut it down, and start another on the same directory.
    pub async fn start_in(data_dir: &Path) -> Result<Self, ServerError> {
        Self::start_with(ServerConfig::new(data_dir)).await
    }

    /// A server with an explicit configuration (clock, limits, …). It always listens on
    /// `127.0.0.1:0`, whatever `config.listen` says.
    pub async fn start_with(config: ServerConfig) -> Result<Self, ServerError> {
        let state = open_retrying_lock(config).await?;
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| ServerError::io("binding 127.0.0.1:0", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServerError::io("reading the bound address", e))?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(state.clone(), listener, async {
            // A dropped sender also means "stop".
            let _ = rx.await;
        }));
        Ok(EphemeralServer {
            url: format!("http://{addr}"),
            admin_token: state.admin_token().to_owned(),
            state: Some(state),
            shutdown: Some(tx),
            task: Some(task),
            addr,
            dir: None,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's state (keys, store, clock).
    pub fn state(&self) -> &AppState {
        // Only `shutdown` (which consumes `self`) takes the state out.
        self.state
            .as_ref()
            .unwrap_or_else(|| unreachable!("state is present until shutdown"))
    }

    /// Signs a ticket with the server's authority key (valid from the server clock's now);
    /// returns its `GLT1:` text.
    pub fn sign_ticket(&self, req: &TicketRequest) -> Result<String, ServerError> {
        Ok(self.state().sign_ticket(req)?.text)
    }

    /// Stops accepting, waits for in-flight requests and the sweeper, and closes the store
    /// (so another server can open the same directory).
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "ephemeral server stopped with an error"),
                Err(e) => tracing::warn!(error = %e, "ephemeral server task failed"),
            }
        }
        self.state = None;
    }
}

impl Drop for EphemeralServer {
    fn drop(&mut self) {
        // Without `shutdown().await` the server stops in the background.
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl std::fmt::Debug for EphemeralServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EphemeralServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Open the state, retrying for up to two seconds while sled reports its directory lock as
/// held. After `shutdown()` the lock is released, but a child process forked by the same
/// program at that instant briefly holds a copy of the lock file's descriptor until it
/// `exec`s (sled issues #1234, #1289), so an in-process restart can transiently fail. Only
/// the ephemeral (demo and test) server retries: `greenlight-server serve` must fail fast
/// when another server really owns the directory ([`ServerError::DataDirInUse`]).
async fn open_retrying_lock(config: ServerConfig) -> Result<AppState, ServerError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let attempt = config.clone();
        let result = tokio::task::spawn_blocking(move || AppState::open(&attempt))
            .await
            .map_err(|_| ServerError::Task)?;
        match result {
            Err(ServerError::DataDirInUse(_)) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}
