//! Open issuance sessions: in memory ([`SessionTable`], one node), or in the PostgreSQL
//! database that every node of a region shares ([`SharedSessions`]); [`Sessions`] is either.
//!
//! In memory:
//!
//! An [`IssuerCommitted`] holds per-token secrets; answering one commitment twice (to two
//! different challenges) reveals the issuer key. So `finish` **removes** the session from the
//! table under the lock and only then answers: of any number of concurrent `finish` calls
//! for one id exactly one gets the state, the others find nothing. Expired sessions are
//! dropped (their secrets zeroized by `IssuerCommitted`'s drop) when looked up, when a
//! `start` meets the cap, and by the periodic sweep.
//!
//! The table is also the per-key cap on open **ACL sessions** — one per token, not one per
//! batch: a batch of N tokens is N concurrent ACL sessions whose commitments the holder sees
//! at once, and that concurrency is what the security argument is about (KLR23 for many,
//! BL13 for one at a time). The service has one issuing key, so the count is over the whole
//! table. A `start` reserves its N sessions before doing its expensive work, so the cap holds
//! even while commitments are being computed; a cap of 1 gives strictly sequential
//! issuance (batches of one token, one at a time).
//!
//! A ticket has **at most one** session open or being started: otherwise one ticket holder
//! could fill the table with many small concurrent starts and hold it for a session's
//! lifetime.
//! A second `start` for the ticket is refused with `ticket_busy` until the first is answered
//! or expires. (Refused rather than replacing the open one: replacing would let a second
//! concurrent start cut off a holder half-way.)

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use greenlight_acl::issuance::IssuerCommitted;
use greenlight_acl::issuance::SealKey;
use greenlight_acl::IssuerKeyPair;
use greenlight_store_pg::{PgStore, SessionReservation};

use crate::store::StoreError;
use greenlight_protocol::lengths::TICKET_ID;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use rand::rngs::OsRng;
use rand::RngCore;

/// Bytes of a session id.
pub(crate) const SESSION_ID_LEN: usize = 16;
pub(crate) type SessionId = [u8; SESSION_ID_LEN];
/// A ticket's id, held in memory only while the ticket's session is open or being started.
pub(crate) type TicketKey = [u8; TICKET_ID];

struct OpenSession {
    committed: IssuerCommitted,
    expires_at: u64,
    ticket: TicketKey,
}

#[derive(Default)]
struct Table {
    open: HashMap<SessionId, OpenSession>,
    /// ACL sessions (tokens) in `open`.
    open_tokens: usize,
    /// ACL sessions reserved by `start`s still computing their commitments.
    reserved: usize,
    /// Tickets with a session open or being started (one each at most).
    tickets: HashSet<TicketKey>,
}

pub(crate) struct SessionTable {
    table: Mutex<Table>,
    cap: usize,
    ttl_secs: u64,
    open_gauge: Gauge,
    expired: Counter,
}

/// Room for `tokens` ACL sessions, held while a `start` computes; released on drop if unused.
pub(crate) struct Slot<'a> {
    sessions: &'a SessionTable,
    tokens: usize,
    ticket: TicketKey,
    used: bool,
}

/// Why no slot was given.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SlotRefused {
    /// Too many sessions are open now: try again shortly.
    Busy,
    /// The batch alone is larger than the cap: it can never be served.
    BatchOverCap { cap: usize },
    /// The ticket already has a session open or being started.
    TicketBusy,
}

impl SessionTable {
    pub fn new(cap: usize, ttl_secs: u64, open_gauge: Gauge, expired: Counter) -> Self {
        SessionTable {
            table: Mutex::new(Table::default()),
            cap: cap.max(1),
            ttl_secs: ttl_secs.max(1),
            open_gauge,
            expired,
        }
    }

    /// Most tokens one `start` may ask for here (published in `/v1/keys` as `max_batch`).
    pub fn max_batch(&self) -> u16 {
        u16::try_from(self.cap.min(greenlight_protocol::lengths::MAX_BATCH)).unwrap_or(u16::MAX)
    }

    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // A panic while holding the lock cannot leave the map half-updated in a way that
        // matters (each operation is one insert or remove), so a poisoned lock is recovered.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self, table: &Table) {
        self.open_gauge
            .set(i64::try_from(table.open.len()).unwrap_or(i64::MAX));
    }

    fn sweep_locked(&self, table: &mut Table, now: u64) -> usize {
        let before = table.open.len();
        let Table { open, tickets, .. } = table;
        open.retain(|_, s| {
            let keep = now < s.expires_at;
            if !keep {
                tickets.remove(&s.ticket);
            }
            keep
        });
        table.open_tokens = table.open.values().map(|s| s.committed.len()).sum();
        let removed = before - table.open.len();
        self.expired.inc_by(removed as u64);
        self.publish(table);
        removed
    }

    /// Reserves room for `tokens` ACL sessions of `ticket` (after dropping expired ones if
    /// needed).
    pub fn reserve_slot(
        &self,
        now: u64,
        tokens: usize,
        ticket: TicketKey,
    ) -> Result<Slot<'_>, SlotRefused> {
        if tokens > self.cap {
            return Err(SlotRefused::BatchOverCap { cap: self.cap });
        }
        let mut table = self.lock();
        if table.tickets.contains(&ticket) {
            // Its open session may have expired without a sweep yet.
            self.sweep_locked(&mut table, now);
            if table.tickets.contains(&ticket) {
                return Err(SlotRefused::TicketBusy);
            }
        }
        if table.open_tokens + table.reserved + tokens > self.cap {
            self.sweep_locked(&mut table, now);
            if table.open_tokens + table.reserved + tokens > self.cap {
                return Err(SlotRefused::Busy);
            }
        }
        table.reserved += tokens;
        table.tickets.insert(ticket);
        Ok(Slot {
            sessions: self,
            tokens,
            ticket,
            used: false,
        })
    }

    /// Removes the session and returns it if it is open and not expired. Removal happens
    /// before anything is answered; an expired session is removed too (and zeroized).
    pub fn take(&self, id: &SessionId, now: u64) -> Option<IssuerCommitted> {
        let mut table = self.lock();
        let session = table.open.remove(id);
        if let Some(s) = &session {
            table.open_tokens = table.open_tokens.saturating_sub(s.committed.len());
            table.tickets.remove(&s.ticket);
        }
        self.publish(&table);
        drop(table);
        let session = session?;
        if now < session.expires_at {
            Some(session.committed)
        } else {
            self.expired.inc();
            None
        }
    }

    /// Drops expired sessions; returns how many.
    pub fn sweep(&self, now: u64) -> usize {
        let mut table = self.lock();
        self.sweep_locked(&mut table, now)
    }

    /// Open sessions now.
    pub fn open_count(&self) -> usize {
        self.lock().open.len()
    }
}

impl Slot<'_> {
    /// Stores the committed state under a fresh random id; returns the id.
    pub fn insert(mut self, committed: IssuerCommitted, now: u64) -> SessionId {
        let sessions = self.sessions;
        let mut table = sessions.lock();
        let mut id = [0u8; SESSION_ID_LEN];
        loop {
            OsRng.fill_bytes(&mut id);
            if !table.open.contains_key(&id) {
                break;
            }
        }
        table.reserved = table.reserved.saturating_sub(self.tokens);
        table.open_tokens += committed.len();
        self.used = true;
        table.open.insert(
            id,
            OpenSession {
                committed,
                expires_at: now.saturating_add(sessions.ttl_secs),
                ticket: self.ticket,
            },
        );
        sessions.publish(&table);
        id
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if !self.used {
            let mut table = self.sessions.lock();
            table.reserved = table.reserved.saturating_sub(self.tokens);
            table.tickets.remove(&self.ticket);
        }
    }
}

// ---- shared by the nodes of a region ------------------------------------------------------

/// Sessions in the PostgreSQL database the nodes share: any node answers a session another
/// started, at most once (`greenlight_store_pg`, "Issuance sessions across nodes"). The
/// secrets are sealed under a key derived from the issuing key they were committed under
/// (`greenlight_acl::issuance::seal`) before they leave this process. The cap and the
/// one-session-per-ticket rule hold over all nodes together, per issuing key; tickets are
/// named by their keyed digest, as in the quota table.
pub(crate) struct SharedSessions {
    store: PgStore,
    cap: usize,
    ttl_secs: u64,
    open_gauge: Gauge,
    expired: Counter,
}

/// Either kind of session table.
pub(crate) enum Sessions {
    Memory(SessionTable),
    Shared(SharedSessions),
}

/// Why a session step failed.
#[derive(Debug)]
pub(crate) enum SessionError {
    Refused(SlotRefused),
    Store(StoreError),
    /// The reservation expired (and was swept) while the commitments were computed.
    Lost,
}

impl From<greenlight_store_pg::PgStoreError> for SessionError {
    fn from(e: greenlight_store_pg::PgStoreError) -> Self {
        SessionError::Store(e.into())
    }
}

/// Room reserved by a `start`, either kind.
pub(crate) enum SessionSlot<'a> {
    Memory(Slot<'a>),
    Shared(SharedSlot<'a>),
}

/// A reserved row of [`SharedSessions`]; released on drop if never filled.
pub(crate) struct SharedSlot<'a> {
    sessions: &'a SharedSessions,
    id: SessionId,
    key_id: [u8; 8],
    used: bool,
}

impl SharedSessions {
    pub fn new(
        store: PgStore,
        cap: usize,
        ttl_secs: u64,
        open_gauge: Gauge,
        expired: Counter,
    ) -> Self {
        SharedSessions {
            store,
            cap: cap.max(1),
            ttl_secs: ttl_secs.max(1),
            open_gauge,
            expired,
        }
    }
}

impl Sessions {
    /// Most tokens one `start` may ask for (published in `/v1/keys` as `max_batch`).
    pub fn max_batch(&self) -> u16 {
        let cap = match self {
            Sessions::Memory(t) => return t.max_batch(),
            Sessions::Shared(s) => s.cap,
        };
        u16::try_from(cap.min(greenlight_protocol::lengths::MAX_BATCH)).unwrap_or(u16::MAX)
    }

    pub fn ttl_secs(&self) -> u64 {
        match self {
            Sessions::Memory(t) => t.ttl_secs(),
            Sessions::Shared(s) => s.ttl_secs,
        }
    }

    /// Reserves room for `tokens` ACL sessions of the ticket, to be committed under
    /// `key_id`. Blocking (shared: one short transaction).
    pub fn reserve_slot(
        &self,
        now: u64,
        tokens: usize,
        ticket: TicketKey,
        key_id: [u8; 8],
        digests: &greenlight_issuance::DigestKey,
    ) -> Result<SessionSlot<'_>, SessionError> {
        match self {
            Sessions::Memory(t) => t
                .reserve_slot(now, tokens, ticket)
                .map(SessionSlot::Memory)
                .map_err(SessionError::Refused),
            Sessions::Shared(s) => {
                if tokens > s.cap {
                    return Err(SessionError::Refused(SlotRefused::BatchOverCap {
                        cap: s.cap,
                    }));
                }
                let mut id = [0u8; SESSION_ID_LEN];
                OsRng.fill_bytes(&mut id);
                let n = u16::try_from(tokens).unwrap_or(u16::MAX);
                let cap = u32::try_from(s.cap).unwrap_or(u32::MAX);
                let outcome = s.store.wait(s.store.reserve_session(
                    &id,
                    &digests.ticket(&ticket),
                    key_id,
                    n,
                    cap,
                    now,
                    now.saturating_add(s.ttl_secs),
                ))?;
                match outcome {
                    SessionReservation::Reserved => Ok(SessionSlot::Shared(SharedSlot {
                        sessions: s,
                        id,
                        key_id,
                        used: false,
                    })),
                    SessionReservation::TicketBusy => {
                        Err(SessionError::Refused(SlotRefused::TicketBusy))
                    }
                    SessionReservation::Busy => Err(SessionError::Refused(SlotRefused::Busy)),
                }
            }
        }
    }

    /// Removes the session and returns it if it is open and not expired; at most once, on
    /// any node. `held`: the issuing keys this node holds (a shared session under another
    /// key is left for a node that can answer it). Blocking (shared: one transaction).
    pub fn take(
        &self,
        id: &SessionId,
        now: u64,
        held: &std::collections::BTreeMap<[u8; 8], std::sync::Arc<IssuerKeyPair>>,
    ) -> Result<Option<IssuerCommitted>, SessionError> {
        match self {
            Sessions::Memory(t) => Ok(t.take(id, now)),
            Sessions::Shared(s) => {
                let key_ids: Vec<[u8; 8]> = held.keys().copied().collect();
                let Some(taken) = s.store.wait(s.store.take_session(id, now, &key_ids))? else {
                    return Ok(None);
                };
                let Some(issuer) = held.get(&taken.key_id) else {
                    // Not reachable: the database filtered on these keys.
                    return Ok(None);
                };
                // Sealed by a node with the same issuing key; anything else is a session no
                // node can answer, treated as unknown (and logged).
                match IssuerCommitted::unseal(
                    &SealKey::new(issuer),
                    id,
                    taken.expires_at,
                    &taken.sealed,
                ) {
                    Ok(committed) => Ok(Some(committed)),
                    Err(e) => {
                        tracing::error!(error = %e, "a shared issuance session does not open");
                        Ok(None)
                    }
                }
            }
        }
    }

    /// Drops expired in-memory sessions; returns how many. Non-blocking: shared sessions
    /// are swept by [`Self::sweep_shared`] instead.
    pub fn sweep(&self, now: u64) -> usize {
        match self {
            Sessions::Memory(t) => t.sweep(now),
            Sessions::Shared(_) => 0,
        }
    }

    /// Deletes expired shared sessions and refreshes the open-sessions gauge (with the
    /// count over all nodes). Blocking; nothing to do in memory.
    pub fn sweep_shared(&self, now: u64) -> Result<u64, StoreError> {
        let Sessions::Shared(s) = self else {
            return Ok(0);
        };
        let removed = s.store.wait(s.store.sweep_sessions(now))?;
        s.expired.inc_by(removed);
        let open = s.store.wait(s.store.open_sessions())?;
        s.open_gauge.set(i64::try_from(open).unwrap_or(i64::MAX));
        Ok(removed)
    }

    /// Open sessions now (shared: over all nodes). Blocking when shared.
    pub fn open_count(&self) -> Result<usize, StoreError> {
        match self {
            Sessions::Memory(t) => Ok(t.open_count()),
            Sessions::Shared(s) => {
                let n = s.store.wait(s.store.open_sessions())?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }
}

impl SessionSlot<'_> {
    /// Stores the committed state (committed under `issuer`, the key the slot was reserved
    /// for); returns the session id. Blocking when shared.
    pub fn insert(
        self,
        committed: IssuerCommitted,
        issuer: &IssuerKeyPair,
        now: u64,
    ) -> Result<SessionId, SessionError> {
        match self {
            SessionSlot::Memory(slot) => Ok(slot.insert(committed, now)),
            SessionSlot::Shared(mut slot) => {
                let s = slot.sessions;
                debug_assert_eq!(issuer.public().key_id().0, slot.key_id);
                let expires_at = now.saturating_add(s.ttl_secs);
                let sealed =
                    committed.seal(&SealKey::new(issuer), &slot.id, expires_at, &mut OsRng);
                // The plaintext secrets stay in this process only until here.
                drop(committed);
                let stored = s
                    .store
                    .wait(s.store.store_session(&slot.id, &sealed, expires_at))?;
                if !stored {
                    return Err(SessionError::Lost);
                }
                slot.used = true;
                Ok(slot.id)
            }
        }
    }
}

impl Drop for SharedSlot<'_> {
    fn drop(&mut self) {
        if !self.used {
            // Best effort: if this fails, the row expires with the session TTL.
            let s = self.sessions;
            if let Err(e) = s.store.wait(s.store.release_session(&self.id)) {
                tracing::warn!(error = %e, "releasing an unused session reservation failed");
            }
        }
    }
}
