//! Counters for `/metrics` (OpenMetrics text, which Prometheus scrapes natively).
//!
//! Labels are only route *templates* (`/v1/admin/appeals`; `unmatched` for paths no route
//! matched, never the path itself), methods, statuses and error codes: nothing derived from
//! subjects, tickets or client addresses.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct CodeLabels {
    pub code: &'static str,
}

pub(crate) struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub rejections: Family<CodeLabels, Counter>,
    pub tokens_issued: Counter,
    pub sessions_started: Counter,
    pub sessions_finished: Counter,
    pub sessions_expired: Counter,
    pub sessions_open: Gauge,
    pub revocations: Counter,
    pub appeals: Counter,
    pub tickets_signed: Counter,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("greenlight");
        let requests = Family::<RequestLabels, Counter>::default();
        let rejections = Family::<CodeLabels, Counter>::default();
        let tokens_issued = Counter::default();
        let sessions_started = Counter::default();
        let sessions_finished = Counter::default();
        let sessions_expired = Counter::default();
        let sessions_open = Gauge::default();
        let revocations = Counter::default();
        let appeals = Counter::default();
        let tickets_signed = Counter::default();
        registry.register(
            "http_requests",
            "HTTP requests by route template, method and status",
            requests.clone(),
        );
        registry.register(
            "rejections",
            "Error answers by error code",
            rejections.clone(),
        );
        registry.register(
            "tokens_issued",
            "Tokens answered (finished issuance)",
            tokens_issued.clone(),
        );
        registry.register(
            "sessions_started",
            "Issuance sessions opened",
            sessions_started.clone(),
        );
        registry.register(
            "sessions_finished",
            "Issuance sessions answered",
            sessions_finished.clone(),
        );
        registry.register(
            "sessions_expired",
            "Issuance sessions dropped unanswered after expiry",
            sessions_expired.clone(),
        );
        registry.register(
            "sessions_open",
            "Issuance sessions open now",
            sessions_open.clone(),
        );
        registry.register(
            "revocations",
            "Subject revocations that changed state",
            revocations.clone(),
        );
        registry.register(
            "appeals",
            "Revocations lifted that changed state",
            appeals.clone(),
        );
        registry.register(
            "tickets_signed",
            "Tickets signed through the admin route",
            tickets_signed.clone(),
        );
        Metrics {
            registry,
            requests,
            rejections,
            tokens_issued,
            sessions_started,
            sessions_finished,
            sessions_expired,
            sessions_open,
            revocations,
            appeals,
            tickets_signed,
        }
    }

    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}
