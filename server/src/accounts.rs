//! People added by an organisation's administrators: one at a time or from a list (`.xlsx` or
//! CSV, as staff keep them in Excel), each checked row by row with a reason for every bad row,
//! and created in one transaction. A new account has no password: it starts with a one-time
//! activation code, shown once to the administrator (only its hash is kept), with which the
//! person sets their own password (`console::sign`). Reset issues a new code; disable keeps the
//! person and their history but refuses their logins and ends their sessions.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::sync::Arc;

use axum::http::StatusCode;
use chrono::Duration;
use lvzhi_domain::ids::{new_id, sha256_hex};
use lvzhi_domain::org::{HandlingUnit, MemberGroup, Person, Role, RoleGrant};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use lvzhi_store::org;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::audit::{self, ClientAddr, Event, Who};
use crate::auth;
use crate::changes::emit_membership;
use crate::error::ApiError;

/// How long an activation code can be used.
pub const CODE_VALID: Duration = Duration::days(30);
/// Rows in one imported list, at most (a province's members are about 25,000).
pub const MAX_ROWS: usize = 30_000;
/// Letters and digits that cannot be mistaken for one another when read off paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The roles an administrator gives, as the list names them.
pub const ROLES: [Role; 4] = [Role::Member, Role::ProposalStaff, Role::UnitUser, Role::OrgAdmin];

/// One person to add, as read from a form or a list and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub name: String,
    pub login: String,
    pub role: Role,
    /// The handling unit a unit user answers for.
    pub unit_id: Option<String>,
    /// Sectors (界别) and special committees (专委会).
    pub group_ids: Vec<String>,
    /// A mobile number for urgent text messages (kept by the server only: `sms_numbers`).
    #[serde(default)]
    pub phone: Option<String>,
}

/// A row of a list that could not be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The row's number as the spreadsheet shows it (the header is row 1).
    pub line: usize,
    pub name: String,
    pub reason: String,
}

/// A list read and checked: what would be created, and what not.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub good: Vec<NewPerson>,
    pub bad: Vec<BadRow>,
}

/// Someone created, with the code to hand them (shown once).
#[derive(Debug, Clone)]
pub struct Created {
    pub person_id: String,
    pub name: String,
    pub login: String,
    pub code: String,
}

/// Why a list cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("无法读取该文件：请上传 Excel（.xlsx）或 CSV 文件")]
    Unreadable,
    #[error("表格第一行应为表头，且至少包含“姓名”“账号”“角色”三列")]
    NoHeader,
    #[error("表格没有数据行")]
    Empty,
    #[error("一次最多导入{MAX_ROWS}行，请分批导入")]
    TooMany,
}

/// The cells of a list's rows (the header first), from `.xlsx` or CSV (UTF-8, or GBK as
/// Excel in Chinese saves it).
pub fn read_cells(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, ListError> {
    let is_xlsx = bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
    if is_xlsx {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ListError::Unreadable)?;
        let range = book.worksheet_range_at(0).ok_or(ListError::Empty)?.map_err(|_| ListError::Unreadable)?;
        return Ok(range
            .rows()
            .map(|row| row.iter().map(|cell| cell.to_string().trim().to_string()).collect())
            .collect());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GBK.decode(bytes);
            if bad {
                return Err(ListError::Unreadable);
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| ListError::Unreadable)?;
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}

/// What an organisation offers a row to name: its units and its sectors and committees.
pub struct OrgChoices {
    pub org_id: String,
    pub units: Vec<HandlingUnit>,
    pub groups: Vec<MemberGroup>,
    /// Logins already taken (accounts and pending activations).
    pub taken: BTreeSet<String>,
}

impl OrgChoices {
    pub fn load(c: &Connection, org_id: &str) -> lvzhi_store::Result<OrgChoices> {
        let mut taken = BTreeSet::new();
        for sql in ["SELECT login FROM accounts", "SELECT login FROM activation_codes"] {
            let mut stmt = c.prepare(sql)?;
            for login in stmt.query_map([], |r| r.get::<_, String>(0))? {
                taken.insert(login?);
            }
        }
        Ok(OrgChoices {
            org_id: org_id.to_string(),
            units: org::units_of(c, org_id)?,
            groups: org::member_groups(c, org_id)?,
            taken,
        })
    }
}

/// Checks the rows of a list (header first) against the organisation.
pub fn check_list(cells: &[Vec<String>], choices: &OrgChoices) -> Result<Checked, ListError> {
    let header = cells.first().ok_or(ListError::Empty)?;
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.trim()));
    let (Some(name), Some(login), Some(role)) =
        (column(&["姓名"]), column(&["账号", "登录名", "用户名"]), column(&["角色"]))
    else {
        return Err(ListError::NoHeader);
    };
    let unit = column(&["承办单位", "单位"]);
    let groups = column(&["界别", "界别/专委会", "界别和专委会", "专委会"]);
    let phone = column(&["手机号", "手机", "手机号码"]);
    let rows: Vec<&Vec<String>> = cells.iter().skip(1).collect();
    if rows.iter().all(|r| r.iter().all(|c| c.is_empty())) {
        return Err(ListError::Empty);
    }
    if rows.len() > MAX_ROWS {
        return Err(ListError::TooMany);
    }
    let mut checked = Checked::default();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let cell = |col: Option<usize>| col.and_then(|c| row.get(c)).map(String::as_str).unwrap_or("");
        let fields = Fields {
            name: cell(Some(name)),
            login: cell(Some(login)),
            role: cell(Some(role)),
            unit: cell(unit),
            groups: cell(groups),
            phone: cell(phone),
        };
        match check_one(&fields, choices, &seen) {
            Ok(p) => {
                seen.insert(p.login.clone());
                checked.good.push(p);
            }
            Err(reason) => checked.bad.push(BadRow { line: i + 2, name: fields.name.to_string(), reason }),
        }
    }
    Ok(checked)
}

/// One person's fields as typed.
pub struct Fields<'a> {
    pub name: &'a str,
    pub login: &'a str,
    pub role: &'a str,
    pub unit: &'a str,
    pub groups: &'a str,
    pub phone: &'a str,
}

/// Checks one person; `seen` are the logins earlier rows of the same list take.
pub fn check_one(f: &Fields, choices: &OrgChoices, seen: &BTreeSet<String>) -> Result<NewPerson, String> {
    let name = f.name.trim();
    if name.is_empty() {
        return Err("缺少姓名".into());
    }
    if name.chars().count() > 40 {
        return Err("姓名不能超过40字".into());
    }
    let login = f.login.trim().to_ascii_lowercase();
    if login.is_empty() {
        return Err("缺少账号".into());
    }
    let len = login.chars().count();
    if !(3..=40).contains(&len)
        || !login.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
    {
        return Err(format!("账号“{login}”无效：应为3到40位字母、数字或 . _ -"));
    }
    if choices.taken.contains(&login) {
        return Err(format!("账号“{login}”已被使用"));
    }
    if seen.contains(&login) {
        return Err(format!("账号“{login}”在表中重复"));
    }
    let role_text = f.role.trim();
    let Some(role) = ROLES.into_iter().find(|r| r.label() == role_text) else {
        let known: Vec<&str> = ROLES.iter().map(|r| r.label()).collect();
        return Err(format!("角色“{role_text}”无效：应为{}之一", known.join("、")));
    };
    let unit_id = if role == Role::UnitUser {
        let unit = f.unit.trim();
        match choices.units.iter().find(|u| u.name == unit || u.id == unit) {
            Some(u) => Some(u.id.clone()),
            None if unit.is_empty() => return Err("承办单位的账号须填写“承办单位”".into()),
            None => return Err(format!("没有名为“{unit}”的承办单位")),
        }
    } else {
        None
    };
    let mut group_ids = Vec::new();
    for g in f.groups.split(['、', ',', '，', ';', '；']).map(str::trim).filter(|g| !g.is_empty()) {
        match choices.groups.iter().find(|x| x.name == g) {
            Some(x) => group_ids.push(x.id.clone()),
            None => return Err(format!("没有名为“{g}”的界别或专委会")),
        }
    }
    let phone = mobile_number(f.phone)?;
    Ok(NewPerson { name: name.to_string(), login, role, unit_id, group_ids, phone })
}

/// A mainland mobile number as typed (spaces, dashes, +86 allowed): its 11 digits; `None` when
/// left empty.
pub fn mobile_number(typed: &str) -> Result<Option<String>, String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let digits = digits.strip_prefix("+86").unwrap_or(&digits);
    if digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(digits.to_string()))
    } else {
        Err(format!("手机号“{}”无效：应为11位手机号码", typed.trim()))
    }
}

/// A new activation code: ten characters, read as XXXXX-XXXXX.
fn new_code() -> String {
    let mut bytes = [0u8; 10];
    SystemRandom::new().fill(&mut bytes).expect("random source");
    let chars: String = bytes.iter().map(|b| CODE_ALPHABET[(*b as usize) % CODE_ALPHABET.len()] as char).collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn code_hash(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    sha256_hex(normal.as_bytes())
}

/// Stores a fresh code for `person_id` (replacing any earlier one) and returns it.
fn issue_code(
    tx: &Transaction<'_>,
    person_id: &str,
    login: &str,
    by: &str,
    now: Timestamp,
) -> lvzhi_store::Result<String> {
    let code = new_code();
    tx.prepare_cached(
        "INSERT INTO activation_codes (person_id, login, code_hash, created_at, expires_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (person_id) DO UPDATE SET login = excluded.login, code_hash = excluded.code_hash,
             created_at = excluded.created_at, expires_at = excluded.expires_at, created_by = excluded.created_by",
    )?
    .execute(params![person_id, login, code_hash(&code), to_millis(now), to_millis(now + CODE_VALID), by])?;
    Ok(code)
}

/// Creates everyone in `people` in `org_id` in the caller's transaction, each with a code, and
/// tells the organisation's phones. Logins are checked again here (another administrator may
/// have taken one since the preview).
pub fn create(
    tx: &Transaction<'_>,
    org_id: &str,
    people: &[NewPerson],
    by: &str,
    now: Timestamp,
) -> lvzhi_store::Result<Vec<Created>> {
    let mut out = Vec::with_capacity(people.len());
    for p in people {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE login = ?1) OR EXISTS (SELECT 1 FROM activation_codes WHERE login = ?1)",
            [&p.login],
            |r| r.get(0),
        )?;
        if taken {
            return Err(lvzhi_store::Error::Invalid(format!("账号“{}”已被使用", p.login)));
        }
        let person_id = new_id();
        org::insert_person(tx, &Person { id: person_id.clone(), name: p.name.clone() })?;
        org::grant_role(
            tx,
            &RoleGrant {
                person_id: person_id.clone(),
                org_id: org_id.into(),
                role: p.role,
                unit_id: p.unit_id.clone(),
            },
        )?;
        for g in &p.group_ids {
            org::add_group_member(tx, g, &person_id)?;
        }
        if let Some(phone) = &p.phone {
            tx.execute("INSERT INTO sms_numbers (person_id, phone) VALUES (?1, ?2)", params![person_id, phone])?;
        }
        let code = issue_code(tx, &person_id, &p.login, by, now)?;
        emit_membership(tx, &person_id, org_id, now)?;
        let who = Who { person: Some(&person_id), org: Some(org_id), address: None };
        audit::record(
            tx,
            now,
            Event::AccountCreated,
            who,
            &format!("{}（{}），由 {by} 新建", p.login, p.role.label()),
        )?;
        out.push(Created { person_id, name: p.name.clone(), login: p.login.clone(), code });
    }
    Ok(out)
}

/// How an account stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Active,
    /// Waiting for activation until then.
    Pending {
        expires_at: i64,
    },
    Disabled,
    /// Neither an account nor a code (people from before the console, without a login).
    None,
}

/// A person of an organisation as the accounts page lists them.
#[derive(Debug, Clone)]
pub struct AccountLine {
    pub person_id: String,
    pub name: String,
    pub login: Option<String>,
    pub roles: Vec<Role>,
    pub standing: Standing,
}

/// The people holding roles in `org_id`, by name.
pub fn lines(c: &Connection, org_id: &str) -> lvzhi_store::Result<Vec<AccountLine>> {
    let mut lines: Vec<AccountLine> = Vec::new();
    for (person_id, name, role) in org::people_of(c, org_id)? {
        if let Some(l) = lines.iter_mut().find(|l| l.person_id == person_id) {
            l.roles.push(role);
            continue;
        }
        let account: Option<(String, bool)> = c
            .query_row("SELECT login, disabled_at IS NOT NULL FROM accounts WHERE person_id = ?1", [&person_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (login, standing) = match account {
            Some((login, true)) => (Some(login), Standing::Disabled),
            Some((login, false)) => (Some(login), Standing::Active),
            None => {
                let code: Option<(String, i64)> = c
                    .query_row(
                        "SELECT login, expires_at FROM activation_codes WHERE person_id = ?1",
                        [&person_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match code {
                    Some((login, expires_at)) => (Some(login), Standing::Pending { expires_at }),
                    None => (None, Standing::None),
                }
            }
        };
        lines.push(AccountLine { person_id, name, login, roles: vec![role], standing });
    }
    lines.sort_by(|a, b| (&a.name, &a.person_id).cmp(&(&b.name, &b.person_id)));
    Ok(lines)
}

/// What an administrator does to one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new activation code (the password, if any, stops working; sessions end).
    Reset,
    Disable,
    Enable,
}

/// Applies `change` to `person_id`'s account; returns the new code for a reset.
pub fn change(
    tx: &Transaction<'_>,
    person_id: &str,
    change: Change,
    by: &str,
    now: Timestamp,
) -> lvzhi_store::Result<Option<String>> {
    let login: Option<String> = tx
        .query_row(
            "SELECT login FROM accounts WHERE person_id = ?1 UNION SELECT login FROM activation_codes WHERE person_id = ?1",
            [person_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(login) = login else { return Err(lvzhi_store::Error::Invalid("此人还没有账号".into())) };
    let end_sessions = |reason: &str| {
        // Their devices are reached by push no more.
        tx.execute("DELETE FROM push_devices WHERE person_id = ?1", [person_id])?;
        tx.execute(
            "UPDATE auth_sessions SET revoked_at = ?2, revoked_reason = ?3 WHERE person_id = ?1 AND revoked_at IS NULL",
            params![person_id, to_millis(now), reason],
        )
    };
    let who = Who { person: Some(person_id), org: None, address: None };
    Ok(match change {
        Change::Reset => {
            tx.execute("DELETE FROM accounts WHERE person_id = ?1", [person_id])?;
            end_sessions("账号被管理员重置")?;
            let code = issue_code(tx, person_id, &login, by, now)?;
            audit::record(tx, now, Event::AccountReset, who, &format!("{login}，由 {by} 重置"))?;
            Some(code)
        }
        Change::Disable => {
            tx.execute(
                "UPDATE accounts SET disabled_at = ?2 WHERE person_id = ?1",
                params![person_id, to_millis(now)],
            )?;
            tx.execute("DELETE FROM activation_codes WHERE person_id = ?1", [person_id])?;
            end_sessions("账号被管理员停用")?;
            audit::record(tx, now, Event::AccountDisabled, who, &format!("{login}，由 {by} 停用"))?;
            None
        }
        Change::Enable => {
            tx.execute("UPDATE accounts SET disabled_at = NULL WHERE person_id = ?1", [person_id])?;
            audit::record(tx, now, Event::AccountEnabled, who, &format!("{login}，由 {by} 启用"))?;
            None
        }
    })
}

/// Gives `person_id` a role in `org_id` (a unit user's with their unit), tells the
/// organisation's phones, and notes it in the audit log.
pub fn grant(
    tx: &Transaction<'_>,
    person_id: &str,
    org_id: &str,
    role: Role,
    unit_id: Option<String>,
    by: &str,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    org::get_person(tx, person_id)?.ok_or(lvzhi_store::Error::NotFound { what: "人员" })?;
    let grant = RoleGrant { person_id: person_id.into(), org_id: org_id.into(), role, unit_id };
    org::grant_role(tx, &grant)?;
    emit_membership(tx, person_id, org_id, now)?;
    let who = Who { person: Some(person_id), org: Some(org_id), address: None };
    audit::record(tx, now, Event::RoleGranted, who, &format!("{}，由 {by} 授予", role.label()))
}

/// Takes a role in `org_id` from `person_id` (their other roles stay).
pub fn revoke(
    tx: &Transaction<'_>,
    person_id: &str,
    org_id: &str,
    role: Role,
    by: &str,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    if !org::revoke_role(tx, person_id, org_id, role)? {
        return Err(lvzhi_store::Error::Invalid(format!("此人在本组织没有“{}”角色", role.label())));
    }
    emit_membership(tx, person_id, org_id, now)?;
    if role == Role::Member {
        crate::changes::emit_studio_messages_of(tx, person_id, org_id, now)?;
    }
    let who = Who { person: Some(person_id), org: Some(org_id), address: None };
    audit::record(tx, now, Event::RoleRevoked, who, &format!("{}，由 {by} 撤销", role.label()))
}

/// Sets the password of the account waiting under `login`, if `code` is its activation code and
/// has not expired; under the login limits, a wrong code counting as a failed login. The code
/// works once. The console's activation page and the apps' `POST /v1/activate` alike.
pub async fn activate(
    app: &Arc<AppState>,
    addr: ClientAddr,
    login: &str,
    code: &str,
    password: &str,
) -> Result<(), ApiError> {
    let who = Who { address: addr.0, ..Who::default() };
    if let Some(ip) = addr.0 {
        auth::limit(app, &app.auth_by_address, &ip, who, "激活")?;
    }
    auth::limit(app, &app.login_by_account, &login.to_string(), who, "激活")?;
    if password.chars().count() < 8 {
        return Err(ApiError::bad_request("密码至少8位"));
    }
    let _permit = app.hashing.acquire().await.map_err(ApiError::internal)?;
    let (app, login, code, password) = (app.clone(), login.to_string(), code.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || {
        let now = (app.clock)();
        if let Some(wait) = app.store.read(|c| auth::throttle(c, &login, now))? {
            return Err(ApiError::too_many(
                std::time::Duration::from_secs(wait as u64),
                format!("尝试次数过多，请{wait}秒后再试"),
            ));
        }
        let hash = code_hash(&code);
        app.store.write(|tx| {
            let found: Option<(String, String, i64)> = tx
                .query_row(
                    "SELECT person_id, code_hash, expires_at FROM activation_codes WHERE login = ?1",
                    [&login],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((person_id, ..)) = found.filter(|(_, h, e)| *h == hash && *e > to_millis(now)) else {
                tx.execute("INSERT INTO login_failures (login, at) VALUES (?1, ?2)", params![login, to_millis(now)])?;
                return Ok(Err(ApiError::new(StatusCode::UNAUTHORIZED, "账号或激活码不正确，或激活码已过期")));
            };
            auth::create_account(tx, &person_id, &login, &password)?;
            tx.execute("DELETE FROM activation_codes WHERE person_id = ?1", [&person_id])?;
            tx.execute("DELETE FROM login_failures WHERE login = ?1", [&login])?;
            let who = Who { person: Some(&person_id), ..who };
            audit::record(tx, now, Event::AccountActivated, who, &format!("账号 {login}"))?;
            Ok::<_, lvzhi_store::Error>(Ok(()))
        })?
    })
    .await
    .map_err(ApiError::internal)?
}

/// `POST /v1/activate`: the apps' activation, as the console's page does it.
pub async fn activate_route(
    axum::extract::State(app): axum::extract::State<std::sync::Arc<AppState>>,
    addr: crate::audit::ClientAddr,
    axum::Json(req): axum::Json<lvzhi_domain::protocol::ActivateRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    activate(&app, addr, req.login.trim(), &req.code, &req.password).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
