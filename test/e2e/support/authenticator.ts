// What the person's authenticator app does: the RFC 6238 code for a Base32 key (otplib, the same
// library and parameters as the server). The server accepts each time step once, and the steps
// just before and after now, so a second code in the same 30 s uses the next step.
import { generateSync, ScureBase32Plugin } from 'otplib';

const PERIOD_SECONDS = 30;
const base32 = new ScureBase32Plugin();

export class Authenticator {
  private lastStep = -1;
  private readonly secret: Uint8Array;

  constructor(base32Secret: string) {
    this.secret = base32.decode(base32Secret.replace(/\s+/g, '').toUpperCase());
  }

  /** A code the server has not accepted before and will accept now (waits when none is left). */
  async nextCode(): Promise<string> {
    let current = Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
    if (this.lastStep >= current + 1) {
      const wait = (this.lastStep + 1) * PERIOD_SECONDS * 1000 - Date.now() + 500;
      await new Promise((done) => setTimeout(done, Math.max(0, wait)));
      current = Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
    }
    const step = Math.max(current, this.lastStep + 1);
    this.lastStep = step;
    return generateSync({
      secret: this.secret,
      epoch: step * PERIOD_SECONDS,
      digits: 6,
      period: PERIOD_SECONDS,
      algorithm: 'sha1',
    });
  }

  /** The code a phone whose clock is `offsetSeconds` off would show now (negative: behind). */
  codeFromClockOff(offsetSeconds: number): string {
    return generateSync({
      secret: this.secret,
      epoch: Math.floor(Date.now() / 1000) + offsetSeconds,
      digits: 6,
      period: PERIOD_SECONDS,
      algorithm: 'sha1',
    });
  }

  /** A 6-digit code that is certainly wrong now (none of the accepted steps produces it). */
  wrongCode(): string {
    const now = Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
    const accepted = new Set(
      [now - 1, now, now + 1, now + 2].map((step) =>
        generateSync({ secret: this.secret, epoch: step * PERIOD_SECONDS, digits: 6, period: 30, algorithm: 'sha1' }),
      ),
    );
    for (let candidate = 123456; ; candidate = (candidate + 111111) % 1_000_000) {
      const code = String(candidate).padStart(6, '0');
      if (!accepted.has(code)) return code;
    }
  }
}
