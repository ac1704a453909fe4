// WebAuthn can't run in happy-dom: it has no PublicKeyCredential and no authenticators. This stands
// in for the browser's part only — `navigator.credentials.create/get` and
// `PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable` — so that the User Center's
// real code (@simplewebauthn/browser, the store, the real API client) runs against the real
// server, which verifies every answer. The answers come from the software authenticator of the
// attack tests (real P-256 signatures, CBOR, authenticator data). Chromium with virtual
// authenticators covers the real browser in test/e2e/security-keys.spec.ts.
import { SoftAuthenticator } from '../../attack/support/soft-authenticator.js';

type Json = Record<string, unknown>;

/** What the page asked the browser for, as JSON (challenge and ids in base64url). */
export interface RecordedRequest {
  kind: 'create' | 'get';
  publicKey: Json;
}

export class FakeWebAuthn {
  readonly requests: RecordedRequest[] = [];
  /** The authenticator the person touches next; null: none (the prompt waits, then is cancelled). */
  current: SoftAuthenticator | null = null;
  /** The next prompt fails with this DOMException name instead (e.g. NotAllowedError). */
  failNextWith: string | null = null;
  /** False: an authenticator that ignores excludeCredentials, so only the server can refuse. */
  honourExcludeCredentials = true;
  platformAuthenticator: boolean;
  private readonly saved: { credentials: PropertyDescriptor | undefined; publicKeyCredential: unknown };

  constructor(
    private readonly origin: string,
    { platformAuthenticator = true }: { platformAuthenticator?: boolean } = {},
  ) {
    this.platformAuthenticator = platformAuthenticator;
    this.saved = {
      credentials: Object.getOwnPropertyDescriptor(navigator, 'credentials'),
      publicKeyCredential: (globalThis as Json).PublicKeyCredential,
    };
    const platformAvailable = () => this.platformAuthenticator;
    (globalThis as Json).PublicKeyCredential = class PublicKeyCredential {
      static isUserVerifyingPlatformAuthenticatorAvailable(): Promise<boolean> {
        return Promise.resolve(platformAvailable());
      }
    };
    Object.defineProperty(navigator, 'credentials', {
      configurable: true,
      value: {
        create: (options: { publicKey: Json }) => this.create(options.publicKey),
        get: (options: { publicKey: Json }) => this.get(options.publicKey),
      },
    });
  }

  /** A USB key (`userVerifying` false) or this device's fingerprint reader (true). */
  authenticator(userVerifying: boolean): SoftAuthenticator {
    return new SoftAuthenticator({ origin: this.origin, userVerifying });
  }

  uninstall(): void {
    if (this.saved.credentials) Object.defineProperty(navigator, 'credentials', this.saved.credentials);
    else delete (navigator as unknown as Json).credentials;
    (globalThis as Json).PublicKeyCredential = this.saved.publicKeyCredential;
  }

  private refuse(): DOMException | null {
    const name = this.failNextWith ?? (this.current ? null : 'NotAllowedError');
    this.failNextWith = null;
    return name ? new DOMException(`The fake prompt failed with ${name}.`, name) : null;
  }

  private async create(publicKey: Json): Promise<unknown> {
    const json = toJson(publicKey);
    this.requests.push({ kind: 'create', publicKey: json });
    const failure = this.refuse();
    if (failure || !this.current) throw failure;
    const excluded = (json.excludeCredentials as { id: string }[] | undefined) ?? [];
    // WebAuthn §6.3.2 step 3: an authenticator that holds an excluded credential refuses.
    if (this.honourExcludeCredentials && excluded.some((descriptor) => descriptor.id === this.current?.id)) {
      throw new DOMException('The authenticator was previously registered.', 'InvalidStateError');
    }
    const answer = this.current.register(json as never);
    return {
      id: answer.id,
      rawId: bytes(answer.rawId),
      type: answer.type,
      authenticatorAttachment: answer.authenticatorAttachment,
      response: {
        clientDataJSON: bytes(answer.response.clientDataJSON),
        attestationObject: bytes(answer.response.attestationObject),
        getTransports: () => answer.response.transports ?? [],
      },
      getClientExtensionResults: () => answer.clientExtensionResults,
    };
  }

  private async get(publicKey: Json): Promise<unknown> {
    const json = toJson(publicKey);
    this.requests.push({ kind: 'get', publicKey: json });
    const failure = this.refuse();
    if (failure || !this.current) throw failure;
    const allowed = (json.allowCredentials as { id: string }[] | undefined) ?? [];
    // An authenticator without a listed credential has nothing to answer (WebAuthn §6.3.3 step 7).
    if (allowed.length > 0 && !allowed.some((descriptor) => descriptor.id === this.current?.id)) {
      throw new DOMException('No listed credential on this authenticator.', 'NotAllowedError');
    }
    const answer = this.current.assert(json as never);
    return {
      id: answer.id,
      rawId: bytes(answer.rawId),
      type: answer.type,
      authenticatorAttachment: null,
      response: {
        clientDataJSON: bytes(answer.response.clientDataJSON),
        authenticatorData: bytes(answer.response.authenticatorData),
        signature: bytes(answer.response.signature),
        userHandle: answer.response.userHandle ? bytes(answer.response.userHandle) : null,
      },
      getClientExtensionResults: () => answer.clientExtensionResults,
    };
  }
}

function bytes(base64url: string): ArrayBuffer {
  const buffer = Buffer.from(base64url, 'base64url');
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

/** The options the page passed, with every BufferSource back in base64url (as the server sent them). */
function toJson(value: unknown): Json {
  return convert(value) as Json;
}

function convert(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return Buffer.from(value).toString('base64url');
  if (ArrayBuffer.isView(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
  }
  if (Array.isArray(value)) return value.map(convert);
  if (value && typeof value === 'object' && !(value instanceof AbortSignal)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, convert(item)]));
  }
  return value;
}
