//! Open issuance sessions, in memory only.
//!
//! An [`IssuerCommitted`] holds per-token secrets; answering one commitment twice (to two
//! different challenges) reveals the issuer key. So `finish` **removes** the session from the
//! table under the lock and only then answers: of any number of concurrent `finish` calls
//! for one id exactly one gets the state, the others find nothing. Expired sessions are
//! dropped (their secrets zeroized by `IssuerCommitted`'s drop) when looked up, when a
//! `start` meets the cap, and by the periodic sweep.
//!
//! The table is also the per-key cap on open sessions: the service has one issuing key, so
//! "open sessions for the key" is the table's size. A `start` takes a *slot* before doing
//! its expensive work, so the cap holds even while commitments are being computed; a cap of
//! 1 gives strictly sequential issuance.

use std::collections::HashMap;
use std::sync::Mutex;

use greenlight_acl::issuance::IssuerCommitted;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use rand::rngs::OsRng;
use rand::RngCore;

/// Bytes of a session id.
pub(crate) const SESSION_ID_LEN: usize = 16;
pub(crate) type SessionId = [u8; SESSION_ID_LEN];

struct OpenSession {
    committed: IssuerCommitted,
    expires_at: u64,
}

#[derive(Default)]
struct Table {
    open: HashMap<SessionId, OpenSession>,
    /// Slots taken by `start`s still computing their commitments.
    reserved: usize,
}

pub(crate) struct SessionTable {
    table: Mutex<Table>,
    cap: usize,
    ttl_secs: u64,
    open_gauge: Gauge,
    expired: Counter,
}

/// A place in the table, held while a `start` computes; released on drop if unused.
pub(crate) struct Slot<'a> {
    sessions: &'a SessionTable,
    used: bool,
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
        table.open.retain(|_, s| now < s.expires_at);
        let removed = before - table.open.len();
        self.expired.inc_by(removed as u64);
        self.publish(table);
        removed
    }

    /// Takes a slot, or `None` if the cap is reached (after dropping expired sessions).
    pub fn reserve_slot(&self, now: u64) -> Option<Slot<'_>> {
        let mut table = self.lock();
        if table.open.len() + table.reserved >= self.cap {
            self.sweep_locked(&mut table, now);
            if table.open.len() + table.reserved >= self.cap {
                return None;
            }
        }
        table.reserved += 1;
        Some(Slot {
            sessions: self,
            used: false,
        })
    }

    /// Removes the session and returns it if it is open and not expired. Removal happens
    /// before anything is answered; an expired session is removed too (and zeroized).
    pub fn take(&self, id: &SessionId, now: u64) -> Option<IssuerCommitted> {
        let mut table = self.lock();
        let session = table.open.remove(id);
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
        table.reserved = table.reserved.saturating_sub(1);
        self.used = true;
        table.open.insert(
            id,
            OpenSession {
                committed,
                expires_at: now.saturating_add(sessions.ttl_secs),
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
            table.reserved = table.reserved.saturating_sub(1);
        }
    }
}
