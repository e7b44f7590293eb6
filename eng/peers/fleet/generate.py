#!/usr/bin/env python3
"""The internet-like fleet's zones, deterministic from a seed (eng/peers/fleet.sh runs this).

  generate.py zones --count N --seed S --net 127.66 --out DIR --dkim DIR
  generate.py ds --dnskey "257 3 13 BASE64" < ZONES   (DS records of each zone name read)

Names: domain i is d00001.internet.test ... (its own zone, delegated from internet.test); its own
MX host is d00001.mx.internet.test, on its own loopback address NET.(100 + i // 250).(1 + i % 250),
so one wildcard certificate (*.mx.internet.test, RFC 6125 section 6.4.3: the wildcard stands
for the whole left-most label) is valid for every MX name. 5% of the domains are hosted by three
providers whose two MX hosts (mx1/mx2.providerK.internet.test, NET.140.x) they share.

The record mix (shares of domains, drawn from the seed): see the constants below and
bench/README.md. Written to DIR: zones/*.zone, zones.txt ("NAME signed|unsigned"), tcp-map.txt
(the delaying proxy's routes), domains.tsv (domain, MX address, provider or "-"), sts-hosts.txt
(the MTA-STS policy hosts' names) and www/HOST/.well-known/mta-sts.txt.
"""
import argparse
import base64
import hashlib
import os
import random
import struct
import sys

PARENT = "internet.test"
MX_ZONE = "mx." + PARENT
MAX_DOMAINS = 40 * 250  # NET.100.1 to NET.139.250

# TTL classes as real zones have them: minutes, an hour, a day (weights).
TTLS = [(300, 30), (3600, 50), (86400, 20)]
PROVIDERS = 3
PROVIDER_SHARE = 0.05
SIGNED_SHARE = 0.10
MTA_STS_SHARE = 0.15
TLS_RPT_SHARE = 0.20
COMMON_SELECTOR_SETS = [["selector1", "selector2"], ["google"], ["default"], ["k1"], ["s1", "s2"], ["dkim"], ["mail"]]
UNCOMMON_SELECTORS = ["mta1", "sig2024", "eu1", "scph0118", "fm1", "mandrill", "pm", "zendesk1", "mxvault", "hs1"]


def weighted(rng, choices):
    total = sum(w for _, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


def txt(value):
    """A TXT RDATA: strings of at most 255 bytes (RFC 1035 section 3.3.14)."""
    return " ".join('"%s"' % value[i:i + 255] for i in range(0, len(value), 255))


def own_address(net, i):
    return "%s.%d.%d" % (net, 100 + i // 250, 1 + i % 250)


def provider_address(net, k, n):
    return "%s.140.%d" % (net, 2 * k + n - 2)


def soa(ttl):
    negative = 300 if ttl <= 300 else 3600
    return ["$TTL %d" % ttl,
            "@ SOA ns.%s. hostmaster.%s. 1 3600 600 1209600 %d" % (PARENT, PARENT, negative),
            "@ NS ns.%s." % PARENT]


def zones(args):
    if not 1 <= args.count <= MAX_DOMAINS:
        sys.exit("count must be 1-%d" % MAX_DOMAINS)
    rng = random.Random(args.seed)
    net = args.net
    keys = {}
    for name in sorted(os.listdir(args.dkim)):
        with open(os.path.join(args.dkim, name)) as f:
            keys[name.rsplit(".", 1)[0]] = f.read().strip()
    rsa = [k for n, k in sorted(keys.items()) if n.startswith("rsa2048")]
    out = args.out
    os.makedirs(os.path.join(out, "zones"), exist_ok=True)
    os.makedirs(os.path.join(out, "www"), exist_ok=True)
    zone_list, tcp_map, domains, sts_hosts, mx_records, ptr_records = [], [], [], [], [], []
    delegations = []
    # The fleet's Postfix listeners (eng/peers/fleet.sh): connections spread over them.
    listeners = ["%s.80.%d:25" % (net, 25 + n) for n in range(4)]
    sts_address = "%s.141.1" % net

    providers = max(1, round(args.count * PROVIDER_SHARE))
    provider_of = {}
    for i in rng.sample(range(args.count), providers if args.count >= 20 else 0):
        # Unequal shares, as the big providers' are: 50%, 30%, 20%.
        provider_of[i] = weighted(rng, [(1, 50), (2, 30), (3, 20)])

    for i in range(args.count):
        name = "d%05d.%s" % (i + 1, PARENT)
        ttl = weighted(rng, TTLS)
        signed = rng.random() < SIGNED_SHARE
        provider = provider_of.get(i)
        lines = soa(ttl)
        address = own_address(net, i)
        if provider is None:
            mx = "d%05d.%s" % (i + 1, MX_ZONE)
            lines.append("@ MX 10 %s." % mx)
            mx_records.append("d%05d %d A %s" % (i + 1, ttl, address))
            tcp_map.append("%s:25 %s" % (address, listeners[i % len(listeners)]))
            # Reverse DNS: most confirm the MX name, some carry an ISP's generic name, some none.
            ptr = weighted(rng, [("mx", 90), ("generic", 5), ("none", 5)])
            if ptr == "mx":
                ptr_records.append((address, mx))
            elif ptr == "generic":
                ptr_records.append((address, "host-%s.isp.%s" % (address.replace(".", "-"), PARENT)))
            spf = weighted(rng, [
                ("v=spf1 mx -all", 35),
                ("v=spf1 mx include:_spf.mailer.%s ~all" % PARENT, 20),
                ("v=spf1 ip4:%s include:_spf.provider1.%s -all" % (address, PARENT), 15),
                ("v=spf1 mx ip4:%s ~all" % address, 10),
                ("v=spf1 include:_spf.mailer.%s include:_spf.provider2.%s mx -all" % (PARENT, PARENT), 10),
                (None, 10),
            ])
            domains.append("%s\t%s\t-" % (name, address))
            sts_mx = mx
        else:
            lines.append("@ MX 10 mx1.provider%d.%s." % (provider, PARENT))
            lines.append("@ MX 20 mx2.provider%d.%s." % (provider, PARENT))
            spf = weighted(rng, [("v=spf1 include:_spf.provider%d.%s -all" % (provider, PARENT), 95), (None, 5)])
            domains.append("%s\t%s\tprovider%d" % (name, provider_address(net, provider, 1), provider))
            sts_mx = "*.provider%d.%s" % (provider, PARENT)
        if spf:
            lines.append("@ TXT %s" % txt(spf))

        dmarc = weighted(rng, [("none", 30), ("quarantine", 22), ("reject", 23), (None, 25)])
        if dmarc:
            record = "v=DMARC1; p=%s" % dmarc
            rua = weighted(rng, [("own", 30), ("external", 30), (None, 40)])
            if rua == "own":
                record += "; rua=mailto:dmarc@%s" % name
            elif rua == "external":
                record += "; rua=mailto:agg@reports.%s" % PARENT
            if rng.random() < 0.1:
                record += "; pct=50"
            lines.append("_dmarc TXT %s" % txt(record))

        selectors = weighted(rng, [("common", 45), ("uncommon", 25), (None, 30)])
        if selectors == "common":
            chosen = rng.choice(COMMON_SELECTOR_SETS)
        elif selectors == "uncommon":
            chosen = [rng.choice(UNCOMMON_SELECTORS)]
        else:
            chosen = []
        for selector in chosen:
            kind = weighted(rng, [("rsa2048", 85), ("rsa1024", 10), ("ed25519", 5)])
            if kind == "rsa2048":
                key = "v=DKIM1; k=rsa; p=" + rng.choice(rsa)
            elif kind == "rsa1024":
                key = "v=DKIM1; k=rsa; p=" + keys["rsa1024-1"]
            else:
                key = "v=DKIM1; k=ed25519; p=" + keys["ed25519-1"]
            lines.append("%s._domainkey TXT %s" % (selector, txt(key)))

        if rng.random() < (0.5 if provider else MTA_STS_SHARE):
            host = "mta-sts." + name
            mode = weighted(rng, [("enforce", 60), ("testing", 40)])
            lines.append("_mta-sts TXT %s" % txt("v=STSv1; id=%d%04d" % (args.seed, i)))
            lines.append("mta-sts A %s" % sts_address)
            sts_hosts.append(host)
            policy_dir = os.path.join(out, "www", host, ".well-known")
            os.makedirs(policy_dir, exist_ok=True)
            with open(os.path.join(policy_dir, "mta-sts.txt"), "w", newline="") as f:
                f.write("version: STSv1\r\nmode: %s\r\nmx: %s\r\nmax_age: 604800\r\n" % (mode, sts_mx))
        if rng.random() < TLS_RPT_SHARE:
            lines.append("_smtp._tls TXT %s" % txt("v=TLSRPTv1; rua=mailto:tls-reports@%s" % name))

        write(out, name, lines)
        zone_list.append("%s %s" % (name, "signed" if signed else "unsigned"))
        delegations.append("d%05d NS ns" % (i + 1))

    # The shared mail hosts: the fleet's own MX names, the providers', the third-party sender.
    write(out, MX_ZONE, soa(3600) + mx_records)
    zone_list.append("%s unsigned" % MX_ZONE)
    delegations.append("mx NS ns")
    for k in range(1, PROVIDERS + 1):
        lines = soa(3600)
        for n in (1, 2):
            address = provider_address(net, k, n)
            lines.append("mx%d A %s" % (n, address))
            tcp_map.append("%s:25 %s" % (address, listeners[(k + n) % len(listeners)]))
            ptr_records.append((address, "mx%d.provider%d.%s" % (n, k, PARENT)))
        # As the big providers publish theirs: an include that names two netblock records.
        lines.append("_spf TXT %s" % txt("v=spf1 include:_netblocks.provider%d.%s include:_netblocks2.provider%d.%s ~all" % (k, PARENT, k, PARENT)))
        lines.append("_netblocks TXT %s" % txt("v=spf1 ip4:%s.140.0/24 ip4:10.%d.0.0/16 ~all" % (net, k)))
        lines.append("_netblocks2 TXT %s" % txt("v=spf1 ip4:172.%d.0.0/16 ip6:2001:db8:%d::/48 ~all" % (16 + k, k)))
        write(out, "provider%d.%s" % (k, PARENT), lines)
        zone_list.append("provider%d.%s unsigned" % (k, PARENT))
        delegations.append("provider%d NS ns" % k)
    write(out, "mailer." + PARENT, soa(3600) + ["_spf TXT %s" % txt("v=spf1 ip4:%s.142.0/24 ip4:%s.143.0/24 -all" % (net, net))])
    zone_list.append("mailer.%s unsigned" % PARENT)
    delegations.append("mailer NS ns")
    # DMARC reports sent outside the domain need the receiver's consent (RFC 7489 section 7.1).
    write(out, "reports." + PARENT, soa(3600) + ['*._report._dmarc TXT "v=DMARC1"'])
    zone_list.append("reports.%s unsigned" % PARENT)
    delegations.append("reports NS ns")

    # The parent: delegations (DS for the signed ones are added once Knot has signed them).
    write(out, PARENT, soa(86400) + ["ns A %s.80.54" % net] + delegations)
    zone_list.insert(0, "%s parent" % PARENT)

    # The reverse zone of the fleet's addresses.
    a, b = net.split(".")
    reverse = "%s.%s.in-addr.arpa" % (b, a)
    write(out, reverse, soa(3600) + ["%s PTR %s." % (".".join(reversed(ip.split(".")[2:])), host) for ip, host in ptr_records])
    zone_list.append("%s unsigned" % reverse)

    tcp_map.append("%s:443 %s.80.80:443" % (sts_address, net))
    for file, rows in (("zones.txt", zone_list), ("tcp-map.txt", tcp_map), ("domains.tsv", domains), ("sts-hosts.txt", sts_hosts)):
        with open(os.path.join(out, file), "w") as f:
            f.write("\n".join(rows) + "\n")


def write(out, zone, lines):
    with open(os.path.join(out, "zones", zone + ".zone"), "w") as f:
        f.write("$ORIGIN %s.\n" % zone)
        f.write("\n".join(lines) + "\n")


def wire(name):
    data = b""
    for label in name.rstrip(".").lower().split("."):
        data += bytes([len(label)]) + label.encode("ascii")
    return data + b"\x00"


def ds(args):
    """DS records (SHA-256, RFC 4509) of one DNSKEY for every zone named on stdin."""
    flags, protocol, algorithm, key = args.dnskey.split(None, 3)
    rdata = struct.pack("!HBB", int(flags), int(protocol), int(algorithm)) + base64.b64decode("".join(key.split()))
    # Key tag: RFC 4034 appendix B.
    tag = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
    tag = (tag + (tag >> 16)) & 0xFFFF
    for zone in (line.strip() for line in sys.stdin):
        if zone:
            digest = hashlib.sha256(wire(zone) + rdata).hexdigest().upper()
            print("%s. DS %d %s 2 %s" % (zone, tag, algorithm, digest))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    z = sub.add_parser("zones")
    z.add_argument("--count", type=int, default=10000)
    z.add_argument("--seed", type=int, default=17)
    z.add_argument("--net", default="127.66")
    z.add_argument("--out", required=True)
    z.add_argument("--dkim", required=True)
    d = sub.add_parser("ds")
    d.add_argument("--dnskey", required=True)
    args = parser.parse_args()
    zones(args) if args.command == "zones" else ds(args)


if __name__ == "__main__":
    main()
