//! Query strings of the read routes: a value that does not parse, and a number outside its
//! range, get a 400 with the reason in Chinese — never a panic deeper down (a year past the
//! calendar once overflowed the record's arithmetic) or a silently different answer.

use std::fmt::Display;
use std::ops::RangeInclusive;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `Query<T>` whose rejection is a Chinese 400.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(q)) => Ok(Params(q)),
            Err(e) => Err(ApiError::bad_request(format!("查询参数有误：{}", e.body_text()))),
        }
    }
}

/// `value` when it lies in `range`; otherwise a 400 naming the parameter and its range.
pub fn in_range<T: PartialOrd + Display + Copy>(what: &str, value: T, range: RangeInclusive<T>) -> Result<T, ApiError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::bad_request(format!("{what}应在{}到{}之间，收到{value}", range.start(), range.end())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_outside_its_range_is_a_400_that_names_it() {
        assert_eq!(in_range("年份", 2027, 1949..=2199).unwrap(), 2027);
        let e = in_range("年份", i32::MAX, 1949..=2199).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(e.message, "年份应在1949到2199之间，收到2147483647");
    }
}
