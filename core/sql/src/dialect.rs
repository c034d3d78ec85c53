//! The store's statements are written once, in the SQL both engines read (upserts with
//! `ON CONFLICT`, `INSERT ... ON CONFLICT DO NOTHING` rather than `INSERT OR IGNORE`, `CAST(...
//! AS BIGINT)`), with SQLite's numbered placeholders. The one rewrite PostgreSQL needs is the
//! placeholder syntax: `?1` (or a bare `?`) becomes `$1`.

/// Which engine a connection talks to, for the few statements that must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// `sql` with `?N` and `?` placeholders as PostgreSQL's `$N`. Quoted strings, quoted names and
/// comments are left alone.
pub fn to_postgres(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next_bare = 1;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        // A doubled quote is an escaped one, inside the literal.
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                out.push('$');
                if digits == 0 {
                    out.push_str(&next_bare.to_string());
                    next_bare += 1;
                } else {
                    out.push_str(&sql[i + 1..i + 1 + digits]);
                }
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_bare_placeholders_become_dollars() {
        assert_eq!(to_postgres("SELECT a FROM t WHERE b = ?1 AND c = ?12"), "SELECT a FROM t WHERE b = $1 AND c = $12");
        assert_eq!(to_postgres("INSERT INTO t VALUES (?, ?)"), "INSERT INTO t VALUES ($1, $2)");
    }

    #[test]
    fn quoted_text_names_and_comments_are_left_alone() {
        let sql = "SELECT '是?', \"a?b\" FROM t -- why?\nWHERE x = ?1 /* ?2 */ AND y = 'it''s ?'";
        assert_eq!(to_postgres(sql), "SELECT '是?', \"a?b\" FROM t -- why?\nWHERE x = $1 /* ?2 */ AND y = 'it''s ?'");
    }

    #[test]
    fn unterminated_quotes_do_not_panic() {
        assert_eq!(to_postgres("SELECT 'abc"), "SELECT 'abc");
        assert_eq!(to_postgres("SELECT 1 /* x"), "SELECT 1 /* x");
        assert_eq!(to_postgres("?"), "$1");
    }
}
