//! Open issuance sessions, in memory only.
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
