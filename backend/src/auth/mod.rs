//! Who is calling: passwords, access and refresh tokens, partner API keys, throttles,
//! and the extractors that turn a request's credentials into a `Caller`.

pub mod api_keys;
pub mod caller;
pub mod passwords;
pub mod throttle;
pub mod tokens;

pub use caller::{AccountCache, ApiKeyCaller, Caller, CurrentUser, Visitor};
