# The headless browser the dashboard's tests drive (tests/MailHealth.Dashboard.Tests): Debian's
# chromium-headless-shell, through NuGet Microsoft.Playwright with the system's node (Playwright's
# own browser download cannot work offline). Nothing runs: this only installs what is missing.
browser_start() {
  mh_need node nodejs
  mh_need chromium-headless-shell chromium-headless-shell
}

browser_stop() { :; }
