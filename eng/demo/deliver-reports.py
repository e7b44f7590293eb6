#!/usr/bin/env python3
"""Receivers' reports for the demo fleet, mailed to the peers' reports mailbox (eng/run.sh runs this).

  deliver-reports.py --mx IP --ca FILE --to ADDRESS [--day YYYY-MM-DD] DOMAIN...

For each domain, yesterday's (or --day's) reports as three receivers send them: a DMARC aggregate
report zipped (application/zip), one gzipped (application/gzip) and an SMTP TLS report in a
multipart/report; report-type=tlsrpt (RFC 8460 section 5.3), through the MX on port 25 with
STARTTLS, as receivers deliver. Sources come from the documentation ranges only (RFC 5737): the
domain's own servers pass, a forwarder fails SPF and passes DKIM, and an unknown sender fails
both. The same day's reports carry the same ids, so a demo started twice stores them once.
"""
import argparse
import datetime
import gzip
import io
import json
import smtplib
import ssl
import zipfile
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

# (source address, messages, DKIM result, SPF result, envelope domain or None for the policy domain)
# The two legitimate senders have names in the peers' reverse zones (o201.out.mailer.senders.test,
# o216.out.mailer.senders.test, confirmed forward), and healthy's and expiring's SPF records include
# _spf.mailer.senders.test, which authorises them: the sources table shows named, authorised senders
# beside an unnamed forwarder and a spoofer.
ROWS = [
    ("192.0.2.201", 1200, "pass", "pass", None),
    ("192.0.2.216", 640, "pass", "pass", None),
    ("198.51.100.25", 85, "pass", "fail", "forwarder.example"),
    ("203.0.113.77", 23, "fail", "fail", "spoofer.example"),
]


def aggregate_xml(org, email, report_id, domain, begin, end, scale):
    records = []
    for ip, count, dkim, spf, envelope in ROWS:
        envelope = envelope or domain
        disposition = "none" if dkim == "pass" or spf == "pass" else "reject"
        records.append(f"""  <record>
    <row>
      <source_ip>{ip}</source_ip>
      <count>{max(1, count * scale // 100)}</count>
      <policy_evaluated><disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated>
    </row>
    <identifiers><header_from>{domain}</header_from><envelope_from>{envelope}</envelope_from></identifiers>
    <auth_results>
      <dkim><domain>{domain if dkim == "pass" else envelope}</domain><selector>selector1</selector><result>{dkim}</result></dkim>
      <spf><domain>{envelope}</domain><scope>mfrom</scope><result>{spf}</result></spf>
    </auth_results>
  </record>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata>
    <org_name>{org}</org_name>
    <email>{email}</email>
    <report_id>{report_id}</report_id>
    <date_range><begin>{begin}</begin><end>{end}</end></date_range>
  </report_metadata>
  <policy_published>
    <domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>reject</sp><pct>100</pct>
  </policy_published>
{chr(10).join(records)}
</feedback>
""".encode()


def tls_json(org, report_id, domain, day):
    start = day.strftime("%Y-%m-%dT00:00:00Z")
    stop = day.strftime("%Y-%m-%dT23:59:59Z")
    return json.dumps({
        "organization-name": org,
        "date-range": {"start-datetime": start, "end-datetime": stop},
        "contact-info": "smtp-tls-reporting@" + org.lower().replace(" ", "") + ".example",
        "report-id": report_id,
        "policies": [{
            "policy": {"policy-type": "no-policy-found", "policy-domain": domain},
            "summary": {"total-successful-session-count": 1800, "total-failure-session-count": 4},
            "failure-details": [{
                "result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.200",
                "receiving-mx-hostname": "mx." + domain, "failed-session-count": 4,
            }],
        }],
    }, indent=2).encode()


def message(sender, to, subject, day):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(3)).timestamp())
    msg["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    return msg


def reports(domain, to, day):
    begin = int(datetime.datetime.combine(day, datetime.time(0), datetime.timezone.utc).timestamp())
    end = begin + 86399
    stamp = day.strftime("%Y%m%d")

    # Google's shape: the XML zipped, attached as application/zip.
    google = message("noreply-dmarc-support@google.com", to, f"Report domain: {domain} Submitter: google.com Report-ID: {stamp}{domain}", day)
    google.set_content(f"This is an aggregate report from google.com for {domain}.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"google.com!{domain}!{begin}!{end}.xml", aggregate_xml("google.com", "noreply-dmarc-support@google.com", f"g{stamp}-{domain}", domain, begin, end, 100))
    google.add_attachment(buffer.getvalue(), maintype="application", subtype="zip", filename=f"google.com!{domain}!{begin}!{end}.zip")

    # Microsoft's shape: the XML gzipped, attached as application/gzip.
    microsoft = message("dmarcreport@microsoft.com", to, f"Report Domain: {domain} Submitter: enterprise.protection.outlook.com Report-ID: <m{stamp}-{domain}>", day)
    microsoft.set_content(f"This is a DMARC aggregate report for {domain}.")
    xml = aggregate_xml("Enterprise Outlook", "dmarcreport@microsoft.com", f"m{stamp}-{domain}", domain, begin, end, 40)
    microsoft.add_attachment(gzip.compress(xml), maintype="application", subtype="gzip", filename=f"enterprise.protection.outlook.com!{domain}!{begin}!{end}.xml.gz")

    # RFC 8460 section 5.3: multipart/report; report-type="tlsrpt", the JSON as application/tlsrpt+gzip.
    tls = message("tls-reporting@google.com", to, f"Report Domain: {domain} Submitter: google.com Report-ID: <t{stamp}-{domain}>", day)
    tls["TLS-Report-Domain"] = domain
    tls["TLS-Report-Submitter"] = "google.com"
    tls.set_content(f"This is an aggregate TLS report from google.com for {domain}.")
    tls.add_attachment(gzip.compress(tls_json("Google Inc.", f"t{stamp}-{domain}", domain, day)), maintype="application",
                       subtype="tlsrpt+gzip", filename=f"google.com!{domain}!{begin}!{end}.json.gz")
    tls.set_type("multipart/report")
    tls.set_param("report-type", "tlsrpt")
    return [google, microsoft, tls]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mx", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--to", required=True)
    parser.add_argument("--day", type=datetime.date.fromisoformat,
                        default=datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=1))
    parser.add_argument("domains", nargs="+")
    args = parser.parse_args()
    context = ssl.create_default_context(cafile=args.ca)
    with smtplib.SMTP(args.mx, 25, local_hostname="reports.sender.example", timeout=30) as smtp:
        smtp.starttls(context=context)
        sent = 0
        for domain in args.domains:
            for msg in reports(domain, args.to, args.day):
                smtp.send_message(msg)
                sent += 1
    print(f"{sent} report messages for {len(args.domains)} domains ({args.day}) sent to {args.to}")


if __name__ == "__main__":
    main()
