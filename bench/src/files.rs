//! The field check for files: over a rural 2G-like link (240 kbps, 840 ms round trip) on each
//! phone, a member sends a 1 MB photo to a study group and another member's phone has it,
//! whole and checked. Reported beside the time the link itself needs to carry 1 MB one way.

use std::path::Path;
use std::time::{Duration, Instant};

use lvzhi_client::Client;
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_server::bootstrap;

use crate::Figure;
use crate::fig;
use crate::slowlink;

/// A photo-like JPEG of about 1 MB, as a phone camera makes them.
fn one_megabyte_photo() -> Vec<u8> {
    let mut best = lvzhi_media::sample_photo(2400, 1800, 90, 11);
    for quality in [95u8, 92, 90, 88, 85, 80, 75] {
        let photo = lvzhi_media::sample_photo(2400, 1800, quality, 11);
        best = photo;
        if best.len() <= 1_100_000 {
            break;
        }
    }
    best
}

async fn phone(dir: &Path, name: &str, login: &str, direct: &str, slow: &str) -> Client {
    let db = dir.join(format!("files-{name}.db"));
    {
        // Logged in and synced beforehand: only the photo's trip is timed.
        let c = Client::open(&db, direct).unwrap();
        c.login(login, bootstrap::DEMO_PASSWORD, "bench").await.unwrap();
        c.sync_until_idle().await.unwrap();
    }
    Client::open(&db, slow).unwrap()
}

/// `full`: also the photo sent as taken (80 s over this link; not in quick runs).
pub async fn photo_over_slow_link(direct: &str, dir: &Path, full: bool) -> Vec<Figure> {
    eprintln!("bench: a photo over the slow link…");
    let spec = slowlink::Link { bits_per_sec: 240_000, rtt: Duration::from_millis(840) };
    let staff = Client::open(dir.join("files-staff.db"), direct).unwrap();
    staff.login("chenjing", bootstrap::DEMO_PASSWORD, "bench").await.unwrap();
    staff.sync_until_idle().await.unwrap();
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() };
    let group = staff
        .create_group(
            &as_staff,
            "宾川县委员履职交流群",
            GroupKind::Sector,
            vec!["demo-zhangming".into(), "demo-lihua".into()],
        )
        .unwrap();
    staff.sync_until_idle().await.unwrap();

    let photo = one_megabyte_photo();
    let one_mb = spec.transfer(1024 * 1024).as_secs_f64();
    let mut figs = Vec::new();
    let variants: &[(bool, &str)] = if full { &[(false, "shrunk"), (true, "original")] } else { &[(false, "shrunk")] };
    for &(keep_original, label) in variants {
        let (link_a, link_b) = (slowlink::start(direct, spec).await, slowlink::start(direct, spec).await);
        let sender = phone(dir, &format!("zhang-{label}"), "zhangming", direct, &link_a.url).await;
        let receiver = phone(dir, &format!("li-{label}"), "lihua", direct, &link_b.url).await;
        let t = Instant::now();
        let a = sender.attach_file("宾川县柑橘冷库现场.jpg", "image/jpeg", &photo, keep_original).unwrap();
        sender.send_message_with_files(&group, "冷库现场照片", None, vec![], vec![a.clone()]).unwrap();
        sender.sync_until_idle().await.unwrap();
        receiver.sync().sync_once(0).await.unwrap();
        let arrived =
            receiver.timeline(&group, 5).unwrap().into_iter().flat_map(|i| i.attachments).find(|x| x.hash == a.hash);
        let arrived = arrived.expect("the message reached the other phone");
        receiver.download_file(&arrived).await.unwrap();
        let took = t.elapsed().as_secs_f64();
        assert!(receiver.file_bytes(&a.hash).unwrap().is_some());
        let ratio = took / one_mb;
        let detail =
            format!("s to carry 1 MB one way at 240 kbps ({} KiB sent as {} KiB)", photo.len() / 1024, a.size / 1024);
        figs.push(if keep_original {
            fig(
                "photo-1mb-slow-link-original",
                (took, "s"),
                (one_mb, &detail),
                "reported (up and down: 2× the link at least)",
                true,
            )
        } else {
            fig("photo-1mb-slow-link", (took, "s"), (one_mb, &detail), "<= 1.3 ratio", ratio <= 1.3)
        });
    }
    figs
}
