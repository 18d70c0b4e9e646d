//! When a sign-in attempt is let through. Guessing is slowed per account *and* address, with a
//! wait that doubles, so nobody can lock a colleague out by failing on purpose from elsewhere;
//! an address trying many accounts and an account tried from many addresses are stopped too.
use time::{Duration, OffsetDateTime};

/// Failed attempts within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecentFailures {
    /// Of this account from this address.
    pub pair: i64,
    /// When the last of those happened.
    pub pair_last: Option<OffsetDateTime>,
    /// Of this account from anywhere.
    pub account: i64,
    /// Of any account from this address.
    pub address: i64,
}

/// The limits of sign-in attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failures of one account from one address before waits begin.
    pub per_pair: i64,
    /// Failures of one account from all addresses together (a distributed guess).
    pub per_account: i64,
    /// Failures from one address on all accounts together.
    pub per_address: i64,
    /// The wait after `per_pair` failures; it doubles with each further one.
    pub first_wait: Duration,
    pub max_wait: Duration,
}

impl LoginLimits {
    /// How long after the last failure of the pair the next attempt may come.
    pub fn wait(&self, pair_failures: i64) -> Duration {
        if pair_failures < self.per_pair {
            return Duration::ZERO;
        }
        let doublings = u32::try_from(pair_failures - self.per_pair)
            .unwrap_or(u32::MAX)
            .min(16);
        (self.first_wait * 2_i32.pow(doublings)).min(self.max_wait)
    }

    /// Whether an attempt at `now` is let through.
    pub fn admits(&self, failures: &RecentFailures, now: OffsetDateTime) -> bool {
        if failures.address >= self.per_address || failures.account >= self.per_account {
            return false;
        }
        match failures.pair_last {
            Some(last) => now - last >= self.wait(failures.pair),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const LIMITS: LoginLimits = LoginLimits {
        per_pair: 5,
        per_account: 50,
        per_address: 20,
        first_wait: Duration::seconds(30),
        max_wait: Duration::minutes(15),
    };

    #[test]
    fn waits_double_after_the_fifth_failure_of_a_pair_up_to_fifteen_minutes() {
        assert_eq!(LIMITS.wait(4), Duration::ZERO);
        assert_eq!(LIMITS.wait(5), Duration::seconds(30));
        assert_eq!(LIMITS.wait(6), Duration::seconds(60));
        assert_eq!(LIMITS.wait(8), Duration::seconds(240));
        assert_eq!(LIMITS.wait(40), Duration::minutes(15));
    }

    #[test]
    fn a_pair_waits_while_others_go_on() {
        let now = datetime!(2026-11-29 12:00 UTC);
        let pair = RecentFailures {
            pair: 5,
            pair_last: Some(now - Duration::seconds(10)),
            account: 5,
            address: 5,
        };
        assert!(!LIMITS.admits(&pair, now));
        assert!(LIMITS.admits(&pair, now + Duration::seconds(20)));
        // The same account from another address: no failures of that pair.
        let elsewhere = RecentFailures {
            pair: 0,
            pair_last: None,
            account: 5,
            address: 0,
        };
        assert!(LIMITS.admits(&elsewhere, now));
        // Many addresses on one account, or one address on many accounts: stopped.
        assert!(!LIMITS.admits(
            &RecentFailures {
                account: 50,
                ..elsewhere
            },
            now
        ));
        assert!(!LIMITS.admits(
            &RecentFailures {
                address: 20,
                ..elsewhere
            },
            now
        ));
    }
}
