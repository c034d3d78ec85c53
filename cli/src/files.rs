//! 附件 in the terminal shell: sending a file to a group, the files of a group with where each
//! stands on this machine, downloading (resumed), the transfers under way, and the cache.

use lvzhi_client::Client;
use lvzhi_client::files::{FileState, usage_label};
use lvzhi_domain::files::{Attachment, human_size};

use crate::{arg, err, show};

pub(crate) const COMMANDS: &[&str] =
    &["send-file", "files", "download", "transfers", "cache", "clear-cache", "pin", "photo-settings"];

/// The content type of a file, by its extension (what a phone's picker reports).
pub(crate) fn content_type_of(path: &str) -> &'static str {
    lvzhi_domain::files::content_type_of(path)
}

fn state_label(state: &FileState, size: u64) -> String {
    match state {
        FileState::Here => "已下载".into(),
        FileState::NotHere => "未下载".into(),
        FileState::Partial { done } => format!("已下载 {}%", done * 100 / size.max(1)),
        FileState::Uploading { done } => format!("上传中 {}%", done * 100 / size.max(1)),
        FileState::UploadFailed { reason } => format!("上传失败：{reason}"),
    }
}

/// The files of a group's recent messages, newest last.
fn group_files(app: &Client, group: &str) -> Result<Vec<Attachment>, String> {
    Ok(app.timeline(group, 200).map_err(err)?.into_iter().flat_map(|m| m.attachments).collect())
}

/// A file of the group named by its hash (or the start of it) or its name.
fn find(app: &Client, group: &str, which: &str) -> Result<Attachment, String> {
    group_files(app, group)?
        .into_iter()
        .rev()
        .find(|a| a.hash.starts_with(which) || a.name == which)
        .ok_or_else(|| format!("群里没有文件「{which}」"))
}

pub(crate) async fn run(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    match name {
        "send-file" => {
            let (group, path) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "文件路径")?);
            let original = cmd.iter().any(|w| w == "--original");
            let text: Vec<&str> =
                cmd[3.min(cmd.len())..].iter().filter(|w| *w != "--original").map(String::as_str).collect();
            let data = std::fs::read(&path).map_err(|e| format!("无法读取文件：{e}"))?;
            let file_name = std::path::Path::new(&path)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or(path.clone());
            let a = app.attach_file(&file_name, content_type_of(&path), &data, original).map_err(err)?;
            let id =
                app.send_message_with_files(&group, &text.join(" "), None, vec![], vec![a.clone()]).map_err(err)?;
            show(json, &a, |a| format!("已保存消息 {id}，附件 {}（{}），上传完成后发送", a.name, human_size(a.size)));
        }
        "files" => {
            let group = arg(cmd, 1, "群编号")?;
            let views = app.attachment_views(&group_files(app, &group)?).map_err(err)?;
            show(json, &views, |vs| {
                if vs.is_empty() {
                    return "群里还没有文件".into();
                }
                vs.iter()
                    .map(|v| {
                        let pin = if v.pinned { " 📌" } else { "" };
                        format!(
                            "{}  {}  {}  {}{pin}",
                            &v.attachment.hash[..12],
                            v.attachment.name,
                            v.caption,
                            state_label(&v.state, v.attachment.size)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "download" => {
            let (group, which) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "文件编号或名称")?);
            let a = find(app, &group, &which)?;
            app.download_file(&a).await.map_err(err)?;
            if let Some(i) = cmd.iter().position(|w| w == "--to") {
                let to = arg(cmd, i + 1, "保存路径")?;
                app.sync().export_file(&a.hash, std::path::Path::new(&to)).map_err(err)?;
            }
            println!("已下载 {}（{}），无网络时也可打开", a.name, human_size(a.size));
        }
        "pin" => {
            let (group, which) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "文件编号或名称")?);
            let a = find(app, &group, &which)?;
            let off = cmd.iter().any(|w| w == "--off");
            app.pin_file(&a, !off).map_err(err)?;
            println!("{}", if off { "已取消保留" } else { "已设为保留，清理缓存时不会删除" });
        }
        "transfers" => {
            let list = app.transfers().map_err(err)?;
            show(json, &list, |l| {
                if l.is_empty() {
                    return "没有进行中的上传或下载".into();
                }
                l.iter()
                    .map(|f| {
                        let (what, done) = if f.uploading { ("上传", f.uploaded) } else { ("下载", f.have) };
                        let failed = f.upload_error.as_ref().map(|r| format!("（失败：{r}）")).unwrap_or_default();
                        format!("{what} {}  {} / {}{failed}", f.name, human_size(done), human_size(f.size))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "cache" => {
            let usage = match cmd.get(1) {
                Some(mb) => {
                    let mb: u64 = mb.parse().map_err(|_| "缓存上限请用整数（MB）".to_string())?;
                    app.set_cache_budget(mb * 1024 * 1024).map_err(err)?
                }
                None => app.cache_usage().map_err(err)?,
            };
            show(json, &usage, |u| {
                format!("{}，{}个文件，其中保留和待上传 {}", usage_label(u), u.files, human_size(u.kept_bytes))
            });
        }
        "photo-settings" => {
            if let (Some(edge), Some(quality)) = (cmd.get(1), cmd.get(2)) {
                let long_edge = edge.parse().map_err(|_| "长边请用整数（像素）".to_string())?;
                let quality = quality.parse().map_err(|_| "质量请用整数".to_string())?;
                let settings = lvzhi_client::files::ShrinkSettings { long_edge, quality };
                app.sync().set_photo_settings(settings).map_err(err)?;
            }
            let s = app.sync().photo_settings().map_err(err)?;
            println!(
                "照片发送前压缩：长边 {} 像素，质量 {}（发原图请用 send-file … --original）",
                s.long_edge, s.quality
            );
        }
        "clear-cache" => {
            let freed = app.clear_cache().map_err(err)?;
            println!("已清理 {}（保留的文件和待上传的文件不受影响）", human_size(freed));
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type_of("宾川县冷库.JPG"), "image/jpeg");
        assert_eq!(
            content_type_of("会议纪要.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(content_type_of("安装包.exe"), "application/octet-stream");
    }
}
