import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import LvzhiKit

/// 委员档案, 委员名录, 联络联系 and 委员工作室 through the generated Swift bindings, on a real server
/// (its clock is the real one: dates are taken from today in China).
final class LiaisonTests: ServerTestCase {
    let zhangPhone = "13987001234"

    func zhangFile() -> FileFields {
        FileFields(
            gender: .male, ethnicity: "白族", party: "九三学社", employerTitle: "宾川县农业技术推广中心主任",
            term: "第十三届", phone: zhangPhone
        )
    }

    /// A day `days` from today in China.
    func day(_ days: Int) -> String { LiaisonDay.of(Date().addingTimeInterval(Double(days) * 86_400)) }

    func testContactsLoggedOfflineBecomeALinkedReportAndCountAgainstTheExpectation() throws {
        let zhang = try loggedIn("zhangming")
        // 张明 visits a village with no signal: everything is written on the phone.
        stopServer()
        let contacts = ContactsModel(app: zhang)
        XCTAssertEqual(contacts.contacts, [])
        XCTAssertEqual(contacts.summary.value.map { ContactsModel.summaryLabel($0) }, "\(contacts.summary.value?.year ?? 0)年已联系 0 人 / 年度要求 5 人")
        XCTAssertNil(contacts.save(name: " ", sector: "金牛镇肉牛养殖户"))
        XCTAssertEqual(contacts.error.value, "请填写姓名")
        let yang = try XCTUnwrap(contacts.save(name: "杨老三", sector: "金牛镇肉牛养殖户", phone: "13987005678"), contacts.error.value ?? "")
        let li = try XCTUnwrap(contacts.save(name: "李春花", sector: "宾川县果蔬协会"), contacts.error.value ?? "")
        XCTAssertNil(contacts.error.value)
        XCTAssertEqual(contacts.contacts.map(\.name), ["李春花", "杨老三"])
        XCTAssertEqual(contacts.contacts.first { $0.id == yang }?.phone, "13987005678")
        // Corrected in place.
        XCTAssertEqual(contacts.save(id: li, name: "李春花", sector: "宾川县果蔬协会", note: "合作社理事长"), li)
        XCTAssertEqual(contacts.contacts.first { $0.id == li }?.note, "合作社理事长")

        XCTAssertNil(contacts.logContact(contactIds: [], way: .visit, raised: ""))
        XCTAssertEqual(contacts.error.value, "请选择联系的群众")
        XCTAssertNil(contacts.logContact(contactIds: [yang], date: day(2), way: .forum, raised: ""))
        XCTAssertEqual(contacts.error.value, "联系日期不能晚于今天")
        let today = LiaisonDay.today()
        XCTAssertEqual(today, day(0))
        let raised = "肉牛养殖贷款难，希望扩大贴息范围\n养殖户反映贷款审批周期长"
        let visit = try XCTUnwrap(contacts.logContact(contactIds: [yang, li], way: .visit, raised: raised), contacts.error.value ?? "")
        let call = try XCTUnwrap(contacts.logContact(contactIds: [yang], way: .phone, raised: " "), contacts.error.value ?? "")
        XCTAssertEqual(ContactsModel.ways.map { $0.1 }, ["走访", "座谈", "电话", "线上"])

        let line = try XCTUnwrap(contacts.log.value.first { $0.log.id == visit })
        XCTAssertEqual(line.names, ["杨老三", "李春花"])
        XCTAssertEqual(line.log.date, today)
        XCTAssertEqual(ContactsModel.lineLabel(line), "\(today)　走访　杨老三、李春花")
        XCTAssertTrue(ContactsModel.canRaise(line))
        XCTAssertFalse(ContactsModel.canRaise(try XCTUnwrap(contacts.log.value.first { $0.log.id == call })))
        XCTAssertNil(ContactsModel.draftsLabel(line.drafts))

        // One action makes the 社情民意 draft, linked both ways.
        XCTAssertNil(contacts.reportFromContact(logId: call))
        XCTAssertEqual(contacts.error.value, "这次联系没有记录反映的问题")
        let reportId = try XCTUnwrap(contacts.reportFromContact(logId: visit), contacts.error.value ?? "")
        XCTAssertNil(contacts.error.value)
        let linked = try XCTUnwrap(contacts.log.value.first { $0.log.id == visit })
        XCTAssertEqual(linked.drafts, [DraftLink(kind: "report", id: reportId)])
        XCTAssertEqual(ContactsModel.draftsLabel(linked.drafts), "已形成社情民意草稿")
        let report = try zhang.report(id: reportId).report
        XCTAssertEqual(report.content.title, "关于肉牛养殖贷款难，希望扩大贴息范围的情况反映")
        XCTAssertTrue(report.content.situation.contains("肉牛养殖贷款难"))
        XCTAssertFalse(report.content.situation.contains("13987005678"), "no phone of the people met in the report")

        // Two people this year, against the organisation's expectation of five; nobody ranked.
        let summary = try XCTUnwrap(contacts.summary.value)
        XCTAssertEqual(summary.peopleReached, 2)
        XCTAssertEqual(summary.expected, 5)
        XCTAssertEqual(summary.contactsLogged, 2)
        XCTAssertEqual(ContactsModel.summaryLabel(summary), "\(summary.year)年已联系 2 人 / 年度要求 5 人")
        XCTAssertEqual(ContactsModel.loggedLabel(summary), "记录 2 次")

        // Someone taken off the register keeps their name in the contacts logged with them.
        let wang = try XCTUnwrap(contacts.save(name: "王五", sector: "大营镇葡萄种植户"))
        XCTAssertTrue(contacts.remove(id: wang), contacts.error.value ?? "")
        XCTAssertFalse(contacts.contacts.contains { $0.id == wang })
        XCTAssertTrue(contacts.register.value.contains { $0.id == wang && $0.removed })
        XCTAssertGreaterThan(try zhang.unsentCount(), 0, "queued for the next sync")

        try startServer()
        try sync(zhang)
        XCTAssertEqual(try zhang.unsentCount(), 0, "the server took every write")
        contacts.refresh()
        XCTAssertEqual(contacts.log.value.first { $0.log.id == visit }?.drafts.map(\.id), [reportId])
        XCTAssertEqual(contacts.summary.value?.peopleReached, 2)
        // The register is 张明's alone.
        let li2 = try loggedIn("lihua")
        XCTAssertEqual(try li2.contacts(), [])
        XCTAssertEqual(ContactsModel(app: li2).summary.value?.peopleReached, 0)
    }

    func testTheDirectoryShowsNoPhoneAndACorrectionIsApprovedByStaff() throws {
        let zhang = try loggedIn("zhangming")
        let mine = MyFileModel(app: zhang)
        XCTAssertNotNil(mine.mine.value)
        XCTAssertNil(mine.file, "no file before staff keep one")
        XCTAssertEqual(mine.mine.value?.corrections, [])
        XCTAssertEqual(mine.currentFields.employerTitle, "")
        XCTAssertFalse(mine.requestCorrection(zhangFile(), note: "请建立档案"))
        XCTAssertEqual(mine.error.value, "委员档案不存在或无权查看")

        let directory = DirectoryModel(app: zhang)
        let names = directory.lines.value.map(\.name)
        XCTAssertTrue(names.contains("张明") && names.contains("李华"), "\(names)")
        directory.search("李华")
        XCTAssertEqual(directory.lines.value.map(\.name), ["李华"])
        directory.search("不存在的名字")
        XCTAssertEqual(directory.lines.value, [])
        directory.search(" ")
        XCTAssertEqual(directory.lines.value.map(\.name), names)

        // Staff keep 张明's file, his phone in it.
        let staff = try loggedIn("chenjing")
        try staff.keepMemberFile(personId: "demo-zhangming", fields: zhangFile())
        XCTAssertThrowsError(try zhang.keepMemberFile(personId: "demo-zhangming", fields: zhangFile())) {
            XCTAssertEqual(userMessage($0), "只有本组织的工作人员可以进行此操作")
        }
        try sync(staff, zhang)
        mine.refresh()
        let kept = try XCTUnwrap(mine.file)
        XCTAssertEqual(kept.version, 1)
        XCTAssertEqual(kept.fields, zhangFile())
        XCTAssertEqual(MyFileModel.value(kept.fields, "性别"), "男")
        XCTAssertEqual(mine.currentFields, zhangFile())

        // 张明 asks a correction offline; nothing to correct is refused with the reason.
        stopServer()
        XCTAssertFalse(mine.requestCorrection(zhangFile(), note: ""))
        XCTAssertEqual(mine.error.value, "没有需要更正的内容")
        var proposed = zhangFile()
        proposed.employerTitle = "宾川县农业农村局副局长"
        XCTAssertEqual(MyFileModel.changes(from: kept.fields, to: proposed), ["工作单位及职务"])
        XCTAssertTrue(mine.requestCorrection(proposed, note: "2026年12月调任"), mine.error.value ?? "")
        XCTAssertNil(mine.error.value)
        XCTAssertEqual(mine.mine.value?.pending, true)
        let asked = try XCTUnwrap(mine.mine.value?.corrections.first)
        XCTAssertEqual(asked.state, .pending)
        XCTAssertEqual(MyFileModel.correctionLabel(asked), "待审核")
        XCTAssertEqual(asked.note, "2026年12月调任")
        XCTAssertEqual(MyFileModel.askedLabel(asked, in: try XCTUnwrap(mine.mine.value)), "工作单位及职务改为「宾川县农业农村局副局长」")
        try startServer()
        try sync(zhang, staff)

        // Staff see what it changes and approve.
        let waiting = try staff.pendingCorrections()
        XCTAssertEqual(waiting.map(\.name), ["张明"])
        XCTAssertEqual(waiting.first?.changes, ["工作单位及职务"])
        try staff.decideFileCorrection(id: asked.id, approve: true, reason: "")
        try sync(staff, zhang)
        mine.refresh()
        let updated = try XCTUnwrap(mine.file)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.fields.employerTitle, "宾川县农业农村局副局长")
        XCTAssertEqual(updated.history.last?.correctionId, asked.id)
        XCTAssertEqual(updated.history.last.map(MyFileModel.changeLabel)?.hasSuffix("工作单位及职务（依本人申请更正）"), true)
        let approved = try XCTUnwrap(mine.mine.value?.corrections.first)
        XCTAssertEqual(approved.state, .approved)
        XCTAssertEqual(MyFileModel.correctionLabel(approved), "已更正")
        XCTAssertEqual(MyFileModel.askedLabel(approved, in: try XCTUnwrap(mine.mine.value)), "工作单位及职务改为「宾川县农业农村局副局长」")
        XCTAssertEqual(mine.mine.value?.pending, false)

        // A second correction is returned with a reason; the file stays.
        var party = proposed
        party.party = "民盟"
        XCTAssertTrue(mine.requestCorrection(party, note: ""), mine.error.value ?? "")
        try sync(zhang, staff)
        let second = try XCTUnwrap(try staff.pendingCorrections().first)
        try staff.decideFileCorrection(id: second.correction.id, approve: false, reason: "党派以统战部备案为准")
        try sync(staff, zhang)
        mine.refresh()
        XCTAssertEqual(mine.file?.fields.party, "九三学社")
        let returned = try XCTUnwrap(mine.mine.value?.corrections.first { $0.id == second.correction.id })
        XCTAssertEqual(MyFileModel.correctionLabel(returned), "已退回：党派以统战部备案为准")
        XCTAssertEqual(MyFileModel.askedLabel(returned, in: try XCTUnwrap(mine.mine.value)), "党派改为「民盟」")

        // 李华 finds him with his new title, and no phone anywhere in what she sees.
        let li = try loggedIn("lihua")
        let hers = DirectoryModel(app: li)
        eventually("the directory has his new title") {
            _ = try? sync(li)
            hers.search("张明")
            return hers.lines.value.first?.employerTitle == "宾川县农业农村局副局长"
        }
        let found = try XCTUnwrap(hers.lines.value.first)
        XCTAssertEqual(found.name, "张明")
        XCTAssertFalse(found.groups.isEmpty)
        XCTAssertEqual(DirectoryModel.groupsLabel(found), found.groups.joined(separator: "、"))
        hers.search("")
        XCTAssertFalse(String(describing: hers.lines.value).contains(zhangPhone), "no phone in the directory")
        XCTAssertNil(MyFileModel(app: li).file, "李华 has no file of her own yet")
    }

    func testAResidentsMessageIsAnsweredOnDutyAndBecomesAReportWithoutTheirPhone() throws {
        // The proof of work's hash, checked against FIPS 180-4's example first.
        XCTAssertEqual(SHA256.hash(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined(),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let staff = try loggedIn("chenjing")
        let draft = StudioDraft(
            name: "金牛镇委员工作室", place: "宾川县金牛镇文化站二楼", openingHours: "每周三 9:00–12:00",
            memberIds: ["demo-zhangming", "demo-lihua"],
            roster: [
                DutyDay(date: day(-7), personIds: ["demo-zhangming"]),
                DutyDay(date: day(0), personIds: ["demo-zhangming"]),
                DutyDay(date: day(3), personIds: ["demo-lihua"]),
                DutyDay(date: day(7), personIds: ["demo-zhangming"]),
            ],
            open: true
        )
        let studioId = try staff.saveStudio(id: nil, draft: draft)
        _ = try staff.saveStudio(id: nil, draft: StudioDraft(
            name: "州城镇委员工作室", place: "宾川县州城镇文化站", openingHours: "", memberIds: ["demo-lihua"], roster: [], open: true
        ))
        try sync(staff)

        let zhang = try loggedIn("zhangming")
        let duty = StudioDutyModel(app: zhang)
        XCTAssertEqual(duty.studios.value.count, 2)
        XCTAssertEqual(duty.mine.map(\.studio.name), ["金牛镇委员工作室"])
        XCTAssertEqual(duty.others.map(\.studio.name), ["州城镇委员工作室"])
        let jinniu = try XCTUnwrap(duty.mine.first)
        XCTAssertTrue(jinniu.onDutyToday)
        XCTAssertEqual(jinniu.myDutyDays, [day(0), day(7)], "from today on")
        XCTAssertEqual(jinniu.memberNames, ["张明", "李华"])
        XCTAssertEqual(StudioDutyModel.dutyLabel(jinniu), "今天值班；之后：\(day(7))")
        XCTAssertEqual(duty.messages.value, [])

        // A resident, with no account, leaves a message on the poster's page.
        let text = "金牛镇至大营镇的村道有三处塌方，雨季通行危险，希望尽快修复。"
        try leaveMessage(studioId: studioId, text: text, name: "老杨", phone: "13888001122")
        eventually("the message reaches the studio's member") {
            _ = try? sync(zhang)
            duty.refresh()
            return !duty.messages.value.isEmpty
        }
        let line = try XCTUnwrap(duty.messages.value.first)
        XCTAssertEqual(line.message.text, text)
        XCTAssertEqual(line.message.phone, "13888001122")
        XCTAssertEqual(line.studioName, "金牛镇委员工作室")
        XCTAssertEqual(StudioDutyModel.telURL(line.message.phone)?.absoluteString, "tel:13888001122")
        XCTAssertNil(StudioDutyModel.telURL(""))
        XCTAssertEqual(StudioDutyModel.answerLabel(line), "待答复")
        XCTAssertEqual(StudioDutyModel.messageLabel(line), "金牛镇委员工作室　\(line.message.date)　老杨")
        XCTAssertEqual(duty.unanswered.count, 1)
        XCTAssertEqual(duty.mine.first?.unanswered, 1)
        // Not a member of the studio: nothing of it on 王芳's phone.
        let wang = try loggedIn("wangfang")
        XCTAssertEqual(StudioDutyModel(app: wang).messages.value, [])

        // 张明 answers offline and makes a 社情民意 draft of it.
        stopServer()
        XCTAssertFalse(duty.answer(messageId: line.message.id, " "))
        XCTAssertEqual(duty.error.value, "请填写答复")
        XCTAssertTrue(duty.answer(messageId: line.message.id, "已联系镇政府和公路段，本周内清理塌方，雨季前完成加固。"), duty.error.value ?? "")
        let answered = try XCTUnwrap(duty.messages.value.first)
        XCTAssertEqual(answered.message.answer?.text, "已联系镇政府和公路段，本周内清理塌方，雨季前完成加固。")
        XCTAssertEqual(StudioDutyModel.answerLabel(answered), "已答复（张明）")
        XCTAssertEqual(duty.unanswered.count, 0)
        let reportId = try XCTUnwrap(duty.reportFromMessage(messageId: line.message.id), duty.error.value ?? "")
        XCTAssertEqual(duty.messages.value.first?.drafts, [DraftLink(kind: "report", id: reportId)])
        XCTAssertNil(duty.error.value)
        XCTAssertEqual(ContactsModel.draftsLabel(try XCTUnwrap(duty.messages.value.first).drafts), "已形成社情民意草稿")
        let report = try zhang.report(id: reportId).report.content
        XCTAssertTrue(report.situation.contains("三处塌方"))
        XCTAssertFalse("\(report)".contains("13888001122") || "\(report)".contains("老杨"), "no resident's name or phone")

        try startServer()
        try sync(zhang, staff)
        XCTAssertEqual(try zhang.unsentCount(), 0)
        let seen = try XCTUnwrap(try staff.studioMessages().first)
        XCTAssertEqual(seen.answeredBy, "张明")
    }

    // --- A resident's browser on the studio's public page ------------------------------------

    /// What the page's script does: reads the challenge, finds the nonce, posts the form.
    func leaveMessage(studioId: String, text: String, name: String, phone: String) throws {
        let url = URL(string: "http://\(address)/studio/\(studioId)")!
        let (page, status) = try http(URLRequest(url: url))
        XCTAssertEqual(status, 200)
        let challenge = try XCTUnwrap(between(page, "name=\"challenge\" value=\"", "\""))
        let bits = Int(between(page, "data-bits=\"", "\"") ?? "16") ?? 16
        let nonce = (0...).lazy.map { String($0) }.first { leadingZeroBits(SHA256.hash(Array("\(challenge):\(studioId):\($0)".utf8))) >= bits }!
        var form = URLComponents()
        form.queryItems = [
            URLQueryItem(name: "text", value: text), URLQueryItem(name: "name", value: name),
            URLQueryItem(name: "phone", value: phone), URLQueryItem(name: "challenge", value: challenge),
            URLQueryItem(name: "nonce", value: nonce),
        ]
        var post = URLRequest(url: url)
        post.httpMethod = "POST"
        post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data((form.percentEncodedQuery ?? "").utf8)
        let (answer, posted) = try http(post)
        XCTAssertEqual(posted, 200, answer)
        XCTAssertTrue(answer.contains("id=\"code\""), "a lookup code is shown")
    }

    func http(_ request: URLRequest) throws -> (String, Int) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (String, Int)?
        nonisolated(unsafe) var failure: Error?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let data, let r = response as? HTTPURLResponse {
                result = (String(decoding: data, as: UTF8.self), r.statusCode)
            } else {
                failure = error
            }
            done.signal()
        }.resume()
        done.wait()
        if let failure { throw failure }
        return try XCTUnwrap(result)
    }

    func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[from.upperBound..<to.lowerBound])
    }

    func leadingZeroBits(_ digest: [UInt8]) -> Int {
        var zeros = 0
        for b in digest {
            if b == 0 { zeros += 8; continue }
            zeros += b.leadingZeroBitCount
            break
        }
        return zeros
    }
}

/// SHA-256 (FIPS 180-4), for the public page's proof of work: Foundation on Linux has none.
enum SHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hash(_ input: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var message = input
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        let bitLength = UInt64(input.count) * 8
        for i in (0..<8).reversed() { message.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for t in 0..<16 {
                let j = chunk + t * 4
                w[t] = UInt32(message[j]) << 24 | UInt32(message[j + 1]) << 16 | UInt32(message[j + 2]) << 8 | UInt32(message[j + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ maj
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
            h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - UInt32($0) * 8)) } }
    }
}
