// Debian's Chromium, headless, with virtual WebAuthn authenticators through the DevTools
// protocol (CONTRIBUTING.md "What runs where"). The page is the real server's own origin
// (http://localhost:PORT, RP ID `localhost`); navigator.credentials runs in it, and the API is
// called with fetch from the page, so the Origin header and the session cookie are the browser's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

/** WebAuthn.VirtualAuthenticatorOptions */
export interface VirtualAuthenticatorOptions {
  protocol: 'ctap2' | 'u2f';
  transport: 'usb' | 'nfc' | 'ble' | 'internal';
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation?: boolean;
}

/** A roaming CTAP2 key on USB: no PIN, no resident keys (a plain U2F-style security key). */
export const USB_KEY: VirtualAuthenticatorOptions = { protocol: 'ctap2', transport: 'usb' };

/** This device's fingerprint reader: a platform authenticator that verifies the user. */
export const FINGERPRINT_READER: VirtualAuthenticatorOptions = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
};

/** WebAuthn.Credential, as getCredentials returns it and addCredential takes it. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

export type CeremonyResult<T> = { ok: true; credential: T } | { ok: false; error: string };

export interface PageResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export class TestBrowser {
  private constructor(
    readonly context: BrowserContext,
    private readonly profileDir: string,
  ) {}

  static async launch(): Promise<TestBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'latchkey-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    return new TestBrowser(context, profileDir);
  }

  /** A fresh tab at `origin` with the WebAuthn domain enabled (virtual authenticators only). */
  async open(origin: string): Promise<WebAuthnPage> {
    const page = await this.context.newPage();
    await page.goto(`${origin}/`);
    const cdp = await this.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return new WebAuthnPage(page, cdp);
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export class WebAuthnPage {
  private readonly authenticators: string[] = [];

  constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
  ) {}

  async goto(origin: string): Promise<void> {
    await this.page.goto(`${origin}/`);
  }

  async addAuthenticator(options: VirtualAuthenticatorOptions): Promise<string> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { automaticPresenceSimulation: true, ...options },
    });
    this.authenticators.push(authenticatorId);
    return authenticatorId;
  }

  /**
   * The person touches this authenticator. Chromium ends a ceremony as soon as any authenticator
   * is touched, and a touched one without the requested credential ends it with NotAllowedError,
   * so only the chosen one simulates presence.
   */
  async use(authenticatorId: string): Promise<void> {
    for (const id of this.authenticators) {
      await this.cdp.send('WebAuthn.setAutomaticPresenceSimulation', {
        authenticatorId: id,
        enabled: id === authenticatorId,
      });
    }
  }

  async setUserVerified(authenticatorId: string, isUserVerified: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
  }

  async credentials(authenticatorId: string): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials as VirtualCredential[];
  }

  /** Puts a credential back with another signature counter (a cloned or rolled-back key). */
  async setSignCount(authenticatorId: string, credentialId: string, signCount: number): Promise<void> {
    const credential = (await this.credentials(authenticatorId)).find((item) => item.credentialId === credentialId);
    if (!credential) throw new Error(`no virtual credential ${credentialId}`);
    await this.cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId });
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...credential, signCount } });
  }

  /** fetch() from the page: same origin, the browser's cookie and Origin header. */
  async api(method: string, path: string, body?: unknown): Promise<PageResponse> {
    return this.page.evaluate(
      async ([method, path, body]) => {
        const response = await fetch(path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? null : JSON.stringify(body),
        });
        const text = await response.text();
        return { status: response.status, json: text ? JSON.parse(text) : null };
      },
      [method, path, body] as const,
    );
  }

  /** navigator.credentials.create() with the server's options JSON; the credential's toJSON(). */
  async create(options: PublicKeyCredentialCreationOptionsJSON): Promise<CeremonyResult<RegistrationResponseJSON>> {
    return this.page.evaluate(async (json) => {
      try {
        const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json as never);
        const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
        return { ok: true as const, credential: credential.toJSON() as never };
      } catch (error) {
        return { ok: false as const, error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    }, options);
  }

  /** navigator.credentials.get() with the server's options JSON; the credential's toJSON(). */
  async get(options: PublicKeyCredentialRequestOptionsJSON): Promise<CeremonyResult<AuthenticationResponseJSON>> {
    return this.page.evaluate(async (json) => {
      try {
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json as never);
        const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
        return { ok: true as const, credential: credential.toJSON() as never };
      } catch (error) {
        return { ok: false as const, error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    }, options);
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** The credential a ceremony produced, or a test failure naming the browser's error. */
export function produced<T>(result: CeremonyResult<T>): T {
  if (!result.ok) throw new Error(`the browser refused the WebAuthn ceremony: ${result.error}`);
  return result.credential;
}
