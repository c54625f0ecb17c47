//! Shared helpers live in the integration binary; this library is empty on purpose.
