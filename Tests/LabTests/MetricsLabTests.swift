import Foundation
import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing
import VRRP

/// The Prometheus endpoint of a real halod pair, scraped from a lab client:
/// states, priorities and advert counters move as the election does, an
/// injected bad advert shows up under its drop reason, and clients that send
/// nothing, garbage, or scrape in a tight loop never delay an advert.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MetricsLabTests {
    private static let vip2 = "192.0.2.101"

    /// Two instances per node (VI_1 IPv4 on VRID 51, VI_2 on VRID 52), metrics on `listen`.
    private func config(state: String, priority: Int, listen: String) -> String {
        LabConfig.instance(state: state, priority: priority, advertInterval: "1", vips: ["\(PairLab.vip4)/24"],
                           globalLines: ["metrics_listen \(listen)"])
            + """
            vrrp_instance VI_2 {
                state \(state)
                interface eth0
                virtual_router_id 52
                priority \(priority)
                advert_int 1
                virtual_ipaddress {
                    \(Self.vip2)/24
                }
            }

            """
    }

    private struct Scrape {
        var text: String
        var seconds: Double

        func value(_ series: String) -> Double? {
            for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
                return Double(line.dropFirst(series.count + 1))
            }
            return nil
        }

        func state(_ instance: String, _ state: String) -> Double? {
            value(#"halo_instance_state{vrrp_instance="\#(instance)",interface="eth0",state="\#(state)"}"#)
        }

        func counter(_ name: String, _ instance: String) -> Double {
            value(#"\#(name){vrrp_instance="\#(instance)"}"#) ?? -1
        }
    }

    private func scrape(_ pair: PairLab, _ address: String, port: Int = 9650) throws -> Scrape {
        let started = Date()
        let reply = try TCPExchange.get(in: pair.client, from: IPAddress(address)!, port: port, path: "/metrics")
        #expect(reply.status == 200)
        return Scrape(text: reply.body, seconds: Date().timeIntervalSince(started))
    }

    /// Polls `condition` on fresh scrapes until it holds or `seconds` pass (a daemon
    /// still starting refuses the connection: that is retried too).
    private func awaitScrape(_ pair: PairLab, _ address: String, seconds: Double, _ condition: (Scrape) -> Bool) throws -> Scrape {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let last = try? scrape(pair, address), condition(last) { return last }
            usleep(200_000)
        }
        return try scrape(pair, address)
    }

    @Test func countersFollowTheElectionAndBadClientsDoNotDelayAdverts() throws {
        let pair = try PairLab(extraHosts: ["x": "192.0.2.66/24"])
        defer { pair.tearDown() }
        let n1 = try pair.halod("n1", config(state: "MASTER", priority: 150, listen: "192.0.2.11:9650"))
        #expect(pair.awaitSoleHolder("n1", seconds: 6), "\(n1.log)")
        let n2 = try pair.halod("n2", config(state: "BACKUP", priority: 100, listen: "[2001:db8::12]:9650"))
        #expect(n2.awaitLog("(VI_2) Entering BACKUP STATE", seconds: 5), "\(n2.log)")
        #expect(n1.log.contains("Prometheus metrics at http://192.0.2.11:9650/metrics"), "\(n1.log)")

        let master = try awaitScrape(pair, "192.0.2.11", seconds: 5) { $0.counter("halo_instance_adverts_sent_total", "VI_2") >= 1 }
        let backup = try awaitScrape(pair, "2001:db8::12", seconds: 5) { $0.counter("halo_instance_adverts_received_total", "VI_1") >= 1 }
        for instance in ["VI_1", "VI_2"] {
            #expect(master.state(instance, "master") == 1, "\(master.text)")
            #expect(master.state(instance, "backup") == 0)
            #expect(backup.state(instance, "backup") == 1, "\(backup.text)")
            #expect(master.value(#"halo_instance_base_priority{vrrp_instance="\#(instance)"}"#) == 150)
            #expect(master.value(#"halo_instance_effective_priority{vrrp_instance="\#(instance)"}"#) == 150)
            #expect(backup.value(#"halo_instance_effective_priority{vrrp_instance="\#(instance)"}"#) == 100)
            #expect(master.counter("halo_instance_transitions_total", instance) >= 1)
        }
        for reason in DropReason.allCases {
            #expect(backup.value(#"halo_receive_drops_total{interface="eth0",family="ipv4",reason="\#(reason.name)"}"#) != nil,
                    "every drop reason is exported, zeros too: \(reason)")
        }

        // Adverts flow: sent grows on the master, received on the backup (adverts every 1 s).
        let master2 = try awaitScrape(pair, "192.0.2.11", seconds: 10) {
            $0.counter("halo_instance_adverts_sent_total", "VI_1") >= master.counter("halo_instance_adverts_sent_total", "VI_1") + 2
        }
        #expect(master2.counter("halo_instance_adverts_sent_total", "VI_1") >= master.counter("halo_instance_adverts_sent_total", "VI_1") + 2)
        #expect(master2.counter("halo_instance_adverts_received_total", "VI_1") == master.counter("halo_instance_adverts_received_total", "VI_1"),
                "the master hears no higher-priority adverts")
        let backup2 = try awaitScrape(pair, "2001:db8::12", seconds: 10) {
            $0.counter("halo_instance_adverts_received_total", "VI_1") >= backup.counter("halo_instance_adverts_received_total", "VI_1") + 2
        }
        #expect(backup2.counter("halo_instance_adverts_received_total", "VI_1") >= backup.counter("halo_instance_adverts_received_total", "VI_1") + 2)
        #expect(backup2.counter("halo_instance_adverts_sent_total", "VI_1") == 0)

        // A bad advert (TTL 254) is counted under its reason on the backup.
        let ttlSeries = #"halo_receive_drops_total{interface="eth0",family="ipv4",reason="ttl_not_255"}"#
        let socket = try pair.lab.host("x").perform {
            try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: nil)
        }
        let advert = Advertisement(version: .v2, virtualRouterID: 51, priority: 254, intervalCentiseconds: 100,
                                   addresses: [IPAddress(PairLab.vip4)!])
        let bad = try IPv4AdvertisementPacket(advertisement: advert, source: IPv4Address("192.0.2.66")!,
                                              destination: VRRPWire.ipv4Group, identification: 7, timeToLive: 254).encoded()
        try socket.send(bad, to: IPAddress("224.0.0.18")!)
        let dropped = try awaitScrape(pair, "2001:db8::12", seconds: 5) { ($0.value(ttlSeries) ?? 0) >= 1 }
        #expect(dropped.value(ttlSeries) == 1, "\(dropped.text)")

        // Bad clients, watched from the wire: garbage, a wrong path, then more silent
        // connections than the server holds, kept open past its idle timeout.
        let watcher = try AdvertWatcher(in: pair.client)
        let garbage = try TCPExchange.exchange(in: pair.client, with: IPAddress("192.0.2.11")!, port: 9650,
                                               request: [0x16, 0x03, 0x01, 0x00, 0xff, 0x0a, 0x0a])
        #expect(String(decoding: garbage, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        let notFound = try TCPExchange.get(in: pair.client, from: IPAddress("192.0.2.11")!, port: 9650, path: "/")
        #expect(notFound.status == 404)
        let silent = try (0..<20).map { _ in try TCPExchange.connect(in: pair.client, to: IPAddress("192.0.2.11")!, port: 9650) }
        defer { silent.forEach { close($0) } }
        usleep(6_500_000)  // past the 5 s idle timeout, and past a master-down interval
        // The silent clients were dropped: scrapes work again, nothing moved.
        let afterIdle = try awaitScrape(pair, "192.0.2.11", seconds: 10) { $0.state("VI_1", "master") == 1 }
        #expect(afterIdle.state("VI_1", "master") == 1)

        // A tight loop of scrapes against the master while its adverts are watched on the wire.
        var timings: [Double] = []
        let loopEnd = Date().addingTimeInterval(4)
        while Date() < loopEnd { timings.append(try scrape(pair, "192.0.2.11").seconds) }
        let heard = watcher.stop().filter { $0.source == IPAddress("192.0.2.11") && $0.virtualRouterID == 51 }
        let gaps = zip(heard.dropFirst(), heard).map { Double($0.at - $1.at) / 1e9 }
        // advert_int 1: a gap near 3.6 s would be a missed election; 1.5 s bounds a loaded host with margin.
        #expect(!gaps.isEmpty && gaps.allSatisfy { $0 < 1.5 }, "advert gaps \(gaps)")
        #expect(!n2.log.contains("Entering MASTER STATE"), "\(n2.log)")
        let final = try scrape(pair, "192.0.2.11")
        let count = final.value(#"halo_instance_advert_send_lateness_seconds_count{vrrp_instance="VI_1"}"#) ?? 0
        let bucketSeries = final.text.split(separator: "\n").filter {
            $0.hasPrefix(#"halo_instance_advert_send_lateness_seconds_bucket{vrrp_instance="VI_1",le=""#)
        }
        // The bucket nearest 0.5 s holds every advert: none fired half an interval late.
        let halfSecond = bucketSeries.first { line in
            let le = line.split(separator: "\"").dropFirst(3).first.flatMap { Double($0) } ?? 0
            return le > 0.3 && le < 0.7
        }
        #expect(count > 0 && halfSecond.flatMap { Double($0.split(separator: " ").last!) } == count, "\(bucketSeries)")
        let render = final.value("halo_metrics_render_seconds") ?? -1
        let sorted = timings.sorted()
        print("metrics scrape, 2 instances: render \(String(format: "%.3f", render * 1000)) ms; client round trip median "
              + "\(String(format: "%.2f", sorted[sorted.count / 2] * 1000)) ms, max \(String(format: "%.2f", sorted.last! * 1000)) ms "
              + "over \(timings.count) scrapes; largest advert gap \(String(format: "%.3f", gaps.max() ?? 0)) s; "
              + "page \(final.text.utf8.count) bytes")
        #expect(render >= 0)
    }

    /// A failing vrrp_script and a resource group with one exec resource, on a lone master:
    /// script runs and failures, the resource's start (with its duration) and state.
    @Test func scriptAndResourceCounters() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let directory = try pair.lab.makeWorkDirectory()
        let up = "\(directory)/web.up"
        let check = try pair.script("check_fails.sh", "#!/bin/sh\nexit 1\n")
        let config = """
            vrrp_script chk_fails {
                script "\(check)"
                interval 1
                weight -10
            }

            """ + LabConfig.instance(state: "MASTER", priority: 150, advertInterval: "1", vips: ["\(PairLab.vip4)/24"],
                                     globalLines: ["metrics_listen 192.0.2.11:9650"],
                                     instanceLines: ["track_script {", "    chk_fails", "}"]) + """
            resource_group web {
                follow VI_1
                resource web {
                    agent exec
                    start /bin/touch \(up)
                    stop /bin/rm -f \(up)
                    monitor /bin/test -e \(up)
                }
            }

            """
        let n1 = try pair.halod("n1", config)
        let scraped = try awaitScrape(pair, "192.0.2.11", seconds: 15) {
            ($0.value(#"halo_script_failures_total{script="chk_fails"}"#) ?? 0) >= 2
                && $0.value(#"halo_resource_state{group="web",resource="web",state="started"}"#) == 1
        }
        #expect(scraped.value(#"halo_script_failures_total{script="chk_fails"}"#) ?? 0 >= 2, "\(scraped.text)\n\(n1.log)")
        #expect(scraped.value(#"halo_script_runs_total{script="chk_fails"}"#) ?? 0 >= 2)
        #expect(scraped.value(#"halo_script_timeouts_total{script="chk_fails"}"#) == 0)
        #expect(scraped.value(#"halo_script_status{script="chk_fails",status="down"}"#) == 1)
        #expect(scraped.value(#"halo_instance_effective_priority{vrrp_instance="VI_1"}"#) == 140, "weight -10 while failing")
        #expect(scraped.value(#"halo_resource_state{group="web",resource="web",state="started"}"#) == 1, "\(scraped.text)\n\(n1.log)")
        #expect(scraped.value(#"halo_resource_actions_total{group="web",resource="web",action="start",result="success"}"#) == 1)
        #expect(scraped.value(#"halo_resource_action_duration_seconds_count{group="web",resource="web",action="start"}"#) == 1)
        #expect(scraped.value(#"halo_resource_failures_total{group="web",resource="web"}"#) == 0)
    }
}
