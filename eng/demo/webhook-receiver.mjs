// The demo's webhook receiver: eng/run.sh starts it so that a newcomer sees what MailHealth's
// generic webhook delivers. It listens on one loopback address only, checks each POST's
// X-MailHealth-Signature (docs/notifications.md, "Verifying the webhook signature"), answers
// 200 (or 401 for a bad signature) and writes each delivery to its own JSON file in DIR:
//   node eng/demo/webhook-receiver.mjs ADDRESS PORT DIR
// The signing key comes from the environment (MH_WEBHOOK_SECRET), not the command line.
// Node's own modules only: nothing to install beyond nodejs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [address, port, dir] = process.argv.slice(2);
const secret = process.env.MH_WEBHOOK_SECRET ?? '';
if (!address?.startsWith('127.') || !port || !dir || !secret) {
  console.error('usage: MH_WEBHOOK_SECRET=KEY node webhook-receiver.mjs 127.X.Y.Z PORT DIR (loopback only)');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const MAX_BODY = 1 << 20;
const TOLERANCE_SECONDS = 300;

// "t=UNIX,v1=HEX": HMAC-SHA256 under the secret of "{t}." + the raw body, t within 5 minutes.
function signature(header, body) {
  if (!header) return 'missing';
  const fields = header.split(',').map((p) => p.split('=', 2)).filter((p) => p.length === 2);
  const t = fields.find(([k]) => k.trim() === 't')?.[1]?.trim() ?? '';
  if (!/^\d+$/.test(t) || Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex'));
  const valid = fields.some(([k, v]) => k.trim() === 'v1' && v.trim().length === expected.length
    && timingSafeEqual(Buffer.from(v.trim()), expected));
  return valid ? 'valid' : 'invalid';
}

let count = 0;
const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(405, { 'content-type': 'text/plain', allow: 'POST' }).end('POST only\n');
    return;
  }
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) request.destroy(); else chunks.push(chunk);
  });
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const checked = signature(request.headers['x-mailhealth-signature'], body);
    let payload;
    try { payload = JSON.parse(body.toString('utf8')); } catch { payload = body.toString('utf8'); }
    const delivery = String(request.headers['x-mailhealth-delivery'] ?? 'none').replace(/[^A-Za-z0-9-]/g, '');
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const file = join(dir, `${stamp}-${String(++count).padStart(4, '0')}-${delivery}.json`);
    writeFileSync(file, JSON.stringify({
      receivedAt: new Date().toISOString(), path: request.url, delivery, signature: checked, body: payload,
    }, null, 2) + '\n');
    console.error(`[webhook] ${payload?.kind ?? 'request'} ${payload?.title ?? ''} (signature ${checked}) -> ${file}`);
    const ok = checked === 'valid';
    response.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' })
      .end(ok ? `saved as ${file}\n` : `signature ${checked}\n`);
  });
});
server.listen(Number(port), address, () => console.error(`[webhook] receiving on http://${address}:${port}/, saving to ${dir}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

// The script that started this one: when it is gone (killed without cleaning up), stop too.
const parent = process.ppid;
setInterval(() => {
  try { process.kill(parent, 0); } catch { process.exit(0); }
}, 1000);
