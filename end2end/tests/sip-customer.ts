import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';

// A customer calling through the carrier: baresip (Debian's baresip-core, which
// .ci/setup.sh installs) at the trunk's address, dialling ringdesk's SIP address. Its
// microphone plays a tone file (sox) and what it hears is recorded (baresip's sndfile
// module), so that a test can tell by frequency whom the customer heard.

function bindsUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function bindsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port for baresip's SIP: it listens on UDP and TCP there and on TCP one above (TLS),
 * so all three must be free; below the kernel's ephemeral range. */
async function freeSipPort(): Promise<number> {
  for (;;) {
    const port = 21_000 + 2 * Math.floor(Math.random() * 5_000);
    if ((await bindsUdp(port)) && (await bindsTcp(port)) && (await bindsTcp(port + 1))) return port;
  }
}

/** The samples of a 16-bit PCM WAV file, and its rate. */
function readWav(path: string): { rate: number; samples: Int16Array } {
  const b = readFileSync(path);
  let at = 12;
  let rate = 8000;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') rate = b.readUInt32LE(at + 12);
    if (id === 'data') {
      const end = Math.min(b.length, at + 8 + size);
      const data = b.subarray(at + 8, end - ((end - at - 8) % 2));
      return { rate, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
    }
    at += 8 + size + (size % 2);
  }
  return { rate, samples: new Int16Array() };
}

/** The power of `hz` in `w` (Goertzel). */
function power(w: Int16Array, hz: number, rate: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of w) {
    const s0 = x / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / Math.max(1, w.length);
}

/** For each quarter second of a recording, which of `candidates` it clearly holds. */
export function heardTones(rec: { rate: number; samples: Int16Array }, candidates: number[]): (number | null)[] {
  const n = rec.rate / 4;
  const out: (number | null)[] = [];
  for (let at = 0; at + n <= rec.samples.length; at += n) {
    const w = rec.samples.subarray(at, at + n);
    let best = candidates[0];
    let p = 0;
    for (const hz of candidates) {
      const q = power(w, hz, rec.rate);
      if (q > p) [best, p] = [hz, q];
    }
    // A tone at half scale gives about 30; silence and noise well under 1.
    out.push(p > 1 ? best : null);
  }
  return out;
}

export class SipCustomer {
  private constructor(
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  /** Calls `number` at ringdesk's SIP address `sip` (host:port), saying `hz`; hangs up
   * by itself after `secs`. */
  static async calls(number: string, sip: string, hz: number, secs = 40): Promise<SipCustomer> {
    const dir = mkdtempSync(join(tmpdir(), 'ringdesk-customer-'));
    const tone = join(dir, 'customer.wav');
    const sox = spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', tone, 'synth', '60', 'sine', String(hz), 'vol', '0.5']);
    if (sox.status !== 0) throw new Error(`sox could not make a tone: ${sox.stderr}`);
    const sipPort = await freeSipPort();
    const rtp = 40_000 + 2 * Math.floor(Math.random() * 5_000);
    writeFileSync(
      join(dir, 'config'),
      [
        'poll_method\tepoll',
        `sip_listen\t127.0.0.1:${sipPort}`,
        'net_interface\t127.0.0.1',
        `rtp_ports\t${rtp}-${rtp + 99}`,
        'audio_player\taubridge,nil',
        `audio_source\taufile,${tone}`,
        'audio_alert\taubridge,nil',
        'module_path\t/usr/lib/baresip/modules',
        'module\tg711.so',
        'module\taufile.so',
        'module\taubridge.so',
        'module\tsndfile.so',
        `snd_path\t${dir}`,
        'module_app\taccount.so',
        'module_app\tmenu.so',
        'module_tmp\tuuid.so',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'accounts'), '<sip:+81312345678@127.0.0.1>;regint=0\n');
    const log = openSync(join(dir, 'baresip.log'), 'w');
    const child = spawn('stdbuf', ['-oL', '-eL', 'baresip', '-f', dir, '-t', String(secs), '-e', `/dial sip:${number}@${sip}`], {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new SipCustomer(dir, child, exited);
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'baresip.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Waits until baresip's log says `text` ("Call established", "session closed"…). */
  async saysInLog(text: string, timeout = 10_000) {
    await expect.poll(() => this.log().includes(text), { timeout, message: `baresip says ${text}:\n${this.log()}` }).toBe(true);
  }

  /** What the customer heard on the call (the recording closes when the call ends). */
  recording(): { rate: number; samples: Int16Array } {
    const dec = readdirSync(this.dir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => join(this.dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0];
    if (!dec) throw new Error(`baresip recorded nothing; its log:\n${this.log()}`);
    return readWav(dec);
  }

  /** Stops baresip if it still runs (it hangs up and closes its recording), and
   * answers what the customer heard. */
  async heardWhenDone(): Promise<{ rate: number; samples: Int16Array }> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
    return this.recording();
  }

  /** Stops baresip (if it still runs) and removes its folder. */
  async stop() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
