//! The committee tree, terms and sessions, people and roles.

use lvzhi_domain::org::*;
use lvzhi_store::Error;
use lvzhi_store::org::*;
use lvzhi_store::sample;
use lvzhi_store::{DbKind, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("org.db"), DbKind::Device).unwrap();
    (dir, store)
}

#[test]
fn the_yunnan_tree_has_146_committees_on_three_levels() {
    let (_dir, store) = store();
    let ids = store.write(sample::seed_yunnan_tree).unwrap();
    assert_eq!(ids.len(), 146);
    let prefectures = store.read(|c| children(c, "yn")).unwrap();
    assert_eq!(prefectures.len(), 16);
    assert!(prefectures.iter().all(|o| o.level == OrgLevel::Prefecture));
    // A county's ancestry runs up to the province.
    let county = ids.iter().find(|id| id.matches('-').count() == 2).unwrap();
    let chain = store.read(|c| ancestry(c, county)).unwrap();
    assert_eq!(
        chain.iter().map(|o| o.level).collect::<Vec<_>>(),
        [OrgLevel::County, OrgLevel::Prefecture, OrgLevel::Province]
    );
}

#[test]
fn levels_must_nest_and_sessions_belong_to_their_terms_organisation() {
    let (_dir, store) = store();
    let now = sample::fixed_now();
    let tree = store.write(|tx| sample::seed_small(tx, now)).unwrap();
    let bad = store.write(|tx| {
        insert_organisation(
            tx,
            &Organisation {
                id: "x".into(),
                parent_id: Some(tree.county.clone()),
                level: OrgLevel::County,
                name: "某乡政协".into(),
            },
        )
    });
    assert!(matches!(bad, Err(Error::Invalid(m)) if m.contains("层级")));
    let orphan = store.write(|tx| {
        insert_organisation(
            tx,
            &Organisation {
                id: "y".into(), parent_id: None, level: OrgLevel::County, name: "无上级县政协".into()
            },
        )
    });
    assert!(matches!(orphan, Err(Error::Invalid(_))));
    let wrong = store.write(|tx| {
        insert_session(
            tx,
            &Session {
                id: "s-x".into(),
                term_id: tree.term.clone(),
                org_id: tree.prefecture.clone(),
                number: 4,
                proposals_open_at: now,
                proposals_deadline: now,
                accepts_interim: true,
            },
        )
    });
    assert!(matches!(wrong, Err(Error::Invalid(m)) if m.contains("同一组织")));
    let session = store.read(|c| get_session(c, &tree.session)).unwrap().unwrap();
    assert_eq!(session.number, 3);
    assert!(session.proposals_open_at < session.proposals_deadline);
}

#[test]
fn roles_and_settings() {
    let (_dir, store) = store();
    let tree = store.write(|tx| sample::seed_small(tx, sample::fixed_now())).unwrap();
    let roles = store.read(|c| roles_of(c, &tree.unit_users[0])).unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!((roles[0].role, roles[0].unit_id.as_deref()), (Role::UnitUser, Some("u-agri")));
    assert!(store.read(|c| is_member(c, &tree.members[0], &tree.county)).unwrap());
    assert!(!store.read(|c| is_member(c, &tree.staff, &tree.county)).unwrap());
    assert_eq!(store.read(|c| actor_for(c, &tree.staff, &tree.prefecture, Role::ProposalStaff)).unwrap(), None);
    // A unit user must name a unit of the same organisation.
    let bad = store.write(|tx| {
        grant_role(
            tx,
            &RoleGrant {
                person_id: tree.members[0].clone(),
                org_id: tree.county.clone(),
                role: Role::UnitUser,
                unit_id: None,
            },
        )
    });
    assert!(matches!(bad, Err(Error::Invalid(_))));
    assert_eq!(store.read(|c| org_settings(c, &tree.county)).unwrap(), OrgSettings::default());
    let custom = OrgSettings { return_window_days: 5, handling_months: 2, ..OrgSettings::default() };
    store.write(|tx| set_org_settings(tx, &tree.county, &custom)).unwrap();
    assert_eq!(store.read(|c| org_settings(c, &tree.county)).unwrap(), custom);
    let groups = store.read(|c| groups_of(c, &tree.members[0])).unwrap();
    assert_eq!(groups[0].name, "农业和农村界");
}
