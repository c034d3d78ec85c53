//! Aggregates kept whole as JSON in a `data` column (duty and consultation tables): reading one
//! or many of them by a query whose single column is that JSON.

use lvzhi_sql::{Connection, OptionalExtension, Params};
use serde::de::DeserializeOwned;

use crate::error::Result;

/// The row the query finds, if any, decoded.
pub(crate) fn one<T: DeserializeOwned>(c: &Connection, sql: &str, p: impl Params) -> Result<Option<T>> {
    let json: Option<String> = c.prepare_cached(sql)?.query_row(p, |r| r.get(0)).optional()?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

/// Every row the query finds, in its order, decoded.
pub(crate) fn many<T: DeserializeOwned>(c: &Connection, sql: &str, p: impl Params) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows: Vec<String> = stmt.query_map(p, |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    rows.iter().map(|j| Ok(serde_json::from_str(j)?)).collect()
}
