//! Realistic sample data: the Yunnan committee tree, proposal topics and a small fixture
//! used by tests, benchmarks and the server's demo mode.

use chrono::Duration;
use rusqlite::Transaction;

use crate::error::Result;
use crate::org::{
    self, HandlingUnit, MemberGroup, MemberGroupKind, OrgLevel, Organisation, Person, Role, RoleGrant, Session, Term,
};
use crate::proposal::ProposalContent;
use crate::time::{self, Timestamp};

/// Yunnan's 16 prefectures and cities with their 129 counties, cities and districts.
pub const YUNNAN: &[(&str, &[&str])] = &[
    (
        "昆明市",
        &[
            "五华区",
            "盘龙区",
            "官渡区",
            "西山区",
            "东川区",
            "呈贡区",
            "晋宁区",
            "富民县",
            "宜良县",
            "石林彝族自治县",
            "嵩明县",
            "禄劝彝族苗族自治县",
            "寻甸回族彝族自治县",
            "安宁市",
        ],
    ),
    ("曲靖市", &["麒麟区", "沾益区", "马龙区", "陆良县", "师宗县", "罗平县", "富源县", "会泽县", "宣威市"]),
    (
        "玉溪市",
        &[
            "红塔区",
            "江川区",
            "澄江市",
            "通海县",
            "华宁县",
            "易门县",
            "峨山彝族自治县",
            "新平彝族傣族自治县",
            "元江哈尼族彝族傣族自治县",
        ],
    ),
    ("保山市", &["隆阳区", "施甸县", "龙陵县", "昌宁县", "腾冲市"]),
    (
        "昭通市",
        &["昭阳区", "鲁甸县", "巧家县", "盐津县", "大关县", "永善县", "绥江县", "镇雄县", "彝良县", "威信县", "水富市"],
    ),
    ("丽江市", &["古城区", "玉龙纳西族自治县", "永胜县", "华坪县", "宁蒗彝族自治县"]),
    (
        "普洱市",
        &[
            "思茅区",
            "宁洱哈尼族彝族自治县",
            "墨江哈尼族自治县",
            "景东彝族自治县",
            "景谷傣族彝族自治县",
            "镇沅彝族哈尼族拉祜族自治县",
            "江城哈尼族彝族自治县",
            "孟连傣族拉祜族佤族自治县",
            "澜沧拉祜族自治县",
            "西盟佤族自治县",
        ],
    ),
    (
        "临沧市",
        &[
            "临翔区",
            "凤庆县",
            "云县",
            "永德县",
            "镇康县",
            "双江拉祜族佤族布朗族傣族自治县",
            "耿马傣族佤族自治县",
            "沧源佤族自治县",
        ],
    ),
    (
        "楚雄彝族自治州",
        &["楚雄市", "禄丰市", "双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县", "元谋县", "武定县"],
    ),
    (
        "红河哈尼族彝族自治州",
        &[
            "个旧市",
            "开远市",
            "蒙自市",
            "弥勒市",
            "屏边苗族自治县",
            "建水县",
            "石屏县",
            "泸西县",
            "元阳县",
            "红河县",
            "金平苗族瑶族傣族自治县",
            "绿春县",
            "河口瑶族自治县",
        ],
    ),
    ("文山壮族苗族自治州", &["文山市", "砚山县", "西畴县", "麻栗坡县", "马关县", "丘北县", "广南县", "富宁县"]),
    ("西双版纳傣族自治州", &["景洪市", "勐海县", "勐腊县"]),
    (
        "大理白族自治州",
        &[
            "大理市",
            "漾濞彝族自治县",
            "祥云县",
            "宾川县",
            "弥渡县",
            "南涧彝族自治县",
            "巍山彝族回族自治县",
            "永平县",
            "云龙县",
            "洱源县",
            "剑川县",
            "鹤庆县",
        ],
    ),
    ("德宏傣族景颇族自治州", &["芒市", "瑞丽市", "梁河县", "盈江县", "陇川县"]),
    ("怒江傈僳族自治州", &["泸水市", "福贡县", "贡山独龙族怒族自治县", "兰坪白族普米族自治县"]),
    ("迪庆藏族自治州", &["香格里拉市", "德钦县", "维西傈僳族自治县"]),
];

/// Subjects of proposals as members in Yunnan write them («关于…的提案»).
pub const TOPICS: &[(&str, &str)] = &[
    ("发展肉牛养殖产业助推乡村振兴", "经济建设"),
    ("加强农村饮水安全保障", "社会建设"),
    ("推进高原特色现代农业发展", "经济建设"),
    ("加快普洱茶产业提质增效", "经济建设"),
    ("保护洱海流域生态环境", "生态文明建设"),
    ("推动边境口岸经济高质量发展", "经济建设"),
    ("提升县域义务教育均衡发展水平", "社会建设"),
    ("加强乡村医生队伍建设", "社会建设"),
    ("促进少数民族传统村落保护利用", "文化建设"),
    ("完善山区农村公路养护机制", "经济建设"),
    ("推进咖啡产业精深加工", "经济建设"),
    ("加强九大高原湖泊保护治理", "生态文明建设"),
    ("扶持花卉产业品牌建设", "经济建设"),
    ("做好易地扶贫搬迁后续帮扶", "社会建设"),
    ("提升农村电商物流服务能力", "经济建设"),
    ("加强非物质文化遗产传承保护", "文化建设"),
    ("推进城乡居民医保服务便利化", "社会建设"),
    ("防范化解地质灾害风险", "社会建设"),
    ("促进民族团结进步示范区建设", "政治建设"),
    ("推动5G网络向行政村延伸", "经济建设"),
];

/// A proposal text on topic `i`, in `county`.
pub fn proposal_content(i: usize, county: &str) -> ProposalContent {
    let (topic, category) = TOPICS[i % TOPICS.len()];
    ProposalContent {
        title: format!("关于{topic}的提案"),
        cause: format!(
            "近年来，{county}在{topic}方面做了大量工作，但仍存在投入不足、机制不健全、基层人才缺乏等问题，群众反映较为集中。"
        ),
        suggestions: format!(
            "一是加大财政投入，设立专项资金；二是完善工作机制，明确部门职责；三是加强基层队伍建设，提升服务能力，切实推动{topic}取得实效。"
        ),
        category: category.to_string(),
    }
}

/// Ids of the small fixture.
#[derive(Debug, Clone)]
pub struct SmallTree {
    pub province: String,
    pub prefecture: String,
    pub county: String,
    pub term: String,
    pub session: String,
    /// 委员 of the county committee: 张明, 李华, 王芳, 赵强.
    pub members: Vec<String>,
    /// Proposal staff of the county committee.
    pub staff: String,
    /// Proposal staff of the prefecture committee (another organisation).
    pub other_staff: String,
    /// Handling units of the county committee: 县农业农村局, 县水务局, 县财政局.
    pub units: Vec<String>,
    /// One user per unit, in the same order.
    pub unit_users: Vec<String>,
}

/// Seeds province -> 大理白族自治州 -> 宾川县, a term, a session whose proposal window is
/// open from `now - 30 days` to `now + 30 days`, members, staff and units.
pub fn seed_small(tx: &Transaction<'_>, now: Timestamp) -> Result<SmallTree> {
    let org = |id: &str, parent: Option<&str>, level, name: &str| -> Result<()> {
        org::insert_organisation(
            tx,
            &Organisation { id: id.into(), parent_id: parent.map(Into::into), level, name: name.into() },
        )
    };
    org("yn", None, OrgLevel::Province, "云南省政协")?;
    org("yn-dali", Some("yn"), OrgLevel::Prefecture, "大理白族自治州政协")?;
    org("yn-dali-binchuan", Some("yn-dali"), OrgLevel::County, "宾川县政协")?;
    let county = "yn-dali-binchuan";
    org::insert_term(
        tx,
        &Term {
            id: "binchuan-t11".into(),
            org_id: county.into(),
            number: 11,
            starts_at: now - Duration::days(400),
            ends_at: now + Duration::days(1400),
        },
    )?;
    org::insert_session(
        tx,
        &Session {
            id: "binchuan-t11-s3".into(),
            term_id: "binchuan-t11".into(),
            org_id: county.into(),
            number: 3,
            proposals_open_at: now - Duration::days(30),
            proposals_deadline: now + Duration::days(30),
            accepts_interim: false,
        },
    )?;
    org::insert_member_group(
        tx,
        &MemberGroup {
            id: "binchuan-sector-agri".into(),
            org_id: county.into(),
            kind: MemberGroupKind::Sector,
            name: "农业和农村界".into(),
        },
    )?;
    let person = |id: &str, name: &str, org_id: &str, role: Role, unit: Option<&str>| -> Result<String> {
        org::insert_person(tx, &Person { id: id.into(), name: name.into() })?;
        org::grant_role(
            tx,
            &RoleGrant { person_id: id.into(), org_id: org_id.into(), role, unit_id: unit.map(Into::into) },
        )?;
        Ok(id.to_string())
    };
    let mut members = Vec::new();
    for (id, name) in [("m-zhangming", "张明"), ("m-lihua", "李华"), ("m-wangfang", "王芳"), ("m-zhaoqiang", "赵强")]
    {
        members.push(person(id, name, county, Role::Member, None)?);
        org::add_group_member(tx, "binchuan-sector-agri", id)?;
    }
    let staff = person("s-chenjing", "陈静", county, Role::ProposalStaff, None)?;
    let other_staff = person("s-yangfan", "杨帆", "yn-dali", Role::ProposalStaff, None)?;
    let mut units = Vec::new();
    let mut unit_users = Vec::new();
    for (id, name, user, user_name) in [
        ("u-agri", "宾川县农业农村局", "uu-liujun", "刘军"),
        ("u-water", "宾川县水务局", "uu-sunli", "孙丽"),
        ("u-finance", "宾川县财政局", "uu-zhouwei", "周伟"),
    ] {
        org::insert_unit(tx, &HandlingUnit { id: id.into(), org_id: county.into(), name: name.into() })?;
        units.push(id.to_string());
        unit_users.push(person(user, user_name, county, Role::UnitUser, Some(id))?);
    }
    Ok(SmallTree {
        province: "yn".into(),
        prefecture: "yn-dali".into(),
        county: county.into(),
        term: "binchuan-t11".into(),
        session: "binchuan-t11-s3".into(),
        members,
        staff,
        other_staff,
        units,
        unit_users,
    })
}

/// Seeds the whole Yunnan tree (province, 16 prefectures, 129 counties); returns the ids of the
/// organisations created.
pub fn seed_yunnan_tree(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let mut ids = vec!["yn".to_string()];
    org::insert_organisation(
        tx,
        &Organisation { id: "yn".into(), parent_id: None, level: OrgLevel::Province, name: "云南省政协".into() },
    )?;
    for (pi, (prefecture, counties)) in YUNNAN.iter().enumerate() {
        let pid = format!("yn-{pi:02}");
        org::insert_organisation(
            tx,
            &Organisation {
                id: pid.clone(),
                parent_id: Some("yn".into()),
                level: OrgLevel::Prefecture,
                name: format!("{prefecture}政协"),
            },
        )?;
        ids.push(pid.clone());
        for (ci, county) in counties.iter().enumerate() {
            let cid = format!("{pid}-{ci:02}");
            org::insert_organisation(
                tx,
                &Organisation {
                    id: cid.clone(),
                    parent_id: Some(pid.clone()),
                    level: OrgLevel::County,
                    name: format!("{county}政协"),
                },
            )?;
            ids.push(cid);
        }
    }
    Ok(ids)
}

/// A fixed instant for reproducible tests: 2027-01-15 10:00 CST.
pub fn fixed_now() -> Timestamp {
    use chrono::TimeZone;
    time::cst().with_ymd_and_hms(2027, 1, 15, 10, 0, 0).single().expect("valid date").with_timezone(&chrono::Utc)
}
