/// The vocabulary of each section: keywords Halo acts on, and keywords
/// keepalived 2.2.7 accepts that Halo reads but does not act on. Anything else
/// is unknown (a warning, with a suggestion drawn from both lists).
public enum KeywordCatalog {
    public enum Section: String, Sendable, CaseIterable {
        case topLevel = "the top level"
        case globalDefs = "global_defs"
        case vrrpScript = "vrrp_script"
        case trackFile = "vrrp_track_file"
        case vrrpInstance = "vrrp_instance"
        case authentication = "authentication"
        case syncGroup = "vrrp_sync_group"
        case virtualServer = "virtual_server"
        case realServer = "real_server"
        case tcpCheck = "TCP_CHECK"
        case httpCheck = "HTTP_GET"
        case miscCheck = "MISC_CHECK"
        case url = "url"
        case resourceGroup = "resource_group"
    }

    static let notSupported = "not supported by Halo, ignored"
    static let noMail = "ignored: Halo does not send mail"

    public static func supported(in section: Section) -> [String] {
        switch section {
        case .topLevel:
            ["global_defs", "vrrp_script", "vrrp_track_file", "vrrp_instance", "vrrp_sync_group", "virtual_server", "include", "resource_group", "haresources"]
        case .globalDefs:
            ["router_id", "script_user", "enable_script_security", "vrrp_version", "vrrp_strict",
             "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_garp_master_delay", "vrrp_garp_master_repeat",
             "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_garp_lower_prio_delay",
             "vrrp_garp_lower_prio_repeat", "vrrp_startup_delay", "vrrp_check_unicast_src", "notify_fifo",
             "notify_fifo_script", "vrrp_notify_fifo", "vrrp_notify_fifo_script", "max_auto_priority",
             "vrrp_rt_priority", "vrrp_no_swap", "notify_timeout", "control_socket_group", "metrics_listen",
             "state_dump_directory"]
        case .vrrpScript:
            ["script", "interval", "timeout", "weight", "rise", "fall", "user", "init_fail"]
        case .trackFile:
            ["file", "weight", "init_file"]
        case .vrrpInstance:
            ["state", "interface", "virtual_router_id", "priority", "advert_int", "version", "nopreempt", "preempt",
             "preempt_delay", "authentication", "virtual_ipaddress", "virtual_ipaddress_excluded", "virtual_routes",
             "unicast_src_ip", "unicast_peer", "mcast_src_ip", "track_interface", "track_script", "track_file",
             "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop", "garp_master_delay",
             "garp_master_repeat", "garp_master_refresh", "garp_master_refresh_repeat", "garp_lower_prio_delay",
             "garp_lower_prio_repeat", "accept", "no_accept", "strict_mode", "use_vmac", "dont_track_primary",
             "down_timer_adverts"]
        case .authentication:
            ["auth_type", "auth_pass"]
        case .resourceGroup:
            ["follow", "follow_group", "resource", "monitor_interval", "monitor_timeout", "start_timeout", "stop_timeout",
             "failure_timeout", "migration_threshold", "stop_retries", "on_stop_failure", "vip_position"]
        case .syncGroup:
            ["group", "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
             "track_interface", "track_script", "track_file"]
        case .virtualServer:
            ["delay_loop", "lb_algo", "lvs_sched", "lb_kind", "lvs_method", "persistence_timeout",
             "persistence_granularity", "nat_mask", "protocol", "real_server"]
        case .realServer:
            ["weight", "inhibit_on_failure", "notify_up", "notify_down", "TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK"]
        case .tcpCheck:
            ["connect_timeout", "nb_get_retry", "retry", "delay_before_retry", "delay_loop", "connect_port",
             "connect_ip", "bindto"]
        case .httpCheck:
            ["connect_timeout", "nb_get_retry", "retry", "delay_before_retry", "delay_loop", "connect_port",
             "connect_ip", "bindto", "virtualhost", "url"]
        case .miscCheck:
            ["misc_path", "misc_timeout", "misc_dynamic", "user", "delay_loop", "retry", "delay_before_retry"]
        case .url:
            ["path", "digest", "status_code"]
        }
    }

    /// keepalived keywords that Halo recognizes and deliberately ignores, by section.
    static func ignoredKeywords(in section: Section) -> [String] {
        switch section {
        case .topLevel:
            ["virtual_server_group", "vrrp_track_process", "static_ipaddress", "static_routes", "static_rules",
             "linkbeat_interfaces", "garp_group", "bfd_instance", "net_namespace", "instance", "use_pid_dir"]
        case .globalDefs:
            ["notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout", "smtp_helo_name",
             "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults", "email_faults",
             "checker_log_all_failures", "default_interface", "dynamic_interfaces", "enable_dbus", "dbus_service_name",
             "enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3",
             "enable_snmp_keepalived", "enable_traps", "snmp_socket", "lvs_sync_daemon", "lvs_timeouts", "lvs_flush",
             "lvs_flush_on_stop", "lvs_notify_fifo", "lvs_notify_fifo_script", "vrrp_garp_interval",
             "vrrp_gna_interval", "vrrp_min_garp", "vrrp_garp_extra_if", "vrrp_lower_prio_no_advert",
             "vrrp_higher_prio_send_advert", "vrrp_iptables", "vrrp_ipsets", "nftables", "nftables_counters",
             "nftables_ifindex", "nftables_priority", "nftables_ipvs", "nftables_ipvs_priority",
             "nftables_ipvs_start_fwmark", "vrrp_skip_check_adv_addr", "vrrp_notify_priority_changes",
             "vrrp_priority", "checker_priority", "bfd_priority", "checker_no_swap", "bfd_no_swap",
             "checker_rt_priority", "bfd_rt_priority", "vrrp_rlimit_rttime", "checker_rlimit_rttime",
             "bfd_rlimit_rttime", "vrrp_cpu_affinity", "checker_cpu_affinity", "bfd_cpu_affinity",
             "min_auto_priority_delay", "process_names", "process_name", "vrrp_process_name",
             "checker_process_name", "bfd_process_name", "vrrp_netlink_cmd_rcv_bufs",
             "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs",
             "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_down_timer_adverts", "fifo_write_vrrp_states_on_reload",
             "startup_script", "startup_script_timeout", "shutdown_script", "shutdown_script_timeout",
             "tmp_config_directory", "config_save_dir", "disable_local_igmp", "linkbeat_use_polling",
             "net_namespace", "namespace_with_ipsets", "instance", "umask", "vrrp_rx_bufs_policy",
             "vrrp_rx_bufs_multiplier", "vrrp_startup_delay_full", "vrrp_dont_check_adv_addr"]
        case .vrrpScript:
            []
        case .trackFile:
            []
        case .vrrpInstance:
            ["smtp_alert", "native_ipv6", "debug", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "ifname",
             "unicast_ttl", "unicast_fault_no_peer", "old_unicast_checksum", "check_unicast_src",
             "skip_check_adv_addr", "lower_prio_no_advert", "higher_prio_send_advert", "garp_extra_if",
             "kernel_rx_buf_size", "linkbeat_use_polling", "track_process", "track_bfd", "track_src_ip",
             "virtual_rules", "mcast_dst_ip", "notify_deleted", "notify_priority_changes",
             "notify_master_rx_lower_pri", "promote_secondaries", "vrf", "interface_up_down_delays"]
        case .authentication, .resourceGroup:
            []
        case .syncGroup:
            ["smtp_alert", "global_tracking", "sync_group_tracking_weight", "track_process", "track_bfd",
             "notify_priority_changes", "notify_deleted"]
        case .virtualServer:
            ["ha_suspend", "alpha", "omega", "quorum", "quorum_up", "quorum_down", "hysteresis", "virtualhost",
             "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "ops", "persistence_engine",
             "smtp_alert", "warmup", "retry", "delay_before_retry", "connect_timeout", "ip_family",
             "inhibit_on_failure", "lvs_flags", "snmp_name"]
        case .realServer:
            ["uthreshold", "lthreshold", "alpha", "retry", "delay_before_retry", "connect_timeout", "delay_loop",
             "warmup", "smtp_alert", "lvs_method", "PING_CHECK", "UDP_CHECK", "DNS_CHECK", "SMTP_CHECK",
             "FILE_CHECK", "BFD_CHECK", "track_file", "virtualhost"]
        case .tcpCheck, .httpCheck, .miscCheck:
            ["bind_port", "bind_if", "fwmark", "warmup", "alpha", "log_all_failures", "http_protocol", "enable_sni",
             "fast_recovery"]
        case .url:
            ["regex", "regex_no_match", "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset"]
        }
    }

    static func ignoredReason(for keyword: String, in section: Section) -> String? {
        guard ignoredKeywords(in: section).contains(keyword) else { return nil }
        let mail = ["notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
                    "smtp_helo_name", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults",
                    "email_faults"]
        return mail.contains(keyword) ? noMail : notSupported
    }

    static func vocabulary(of section: Section) -> [String] {
        supported(in: section) + ignoredKeywords(in: section)
    }
}
