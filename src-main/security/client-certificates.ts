// TLS certificate decisions (docs/desktop.md "Certificates"):
// - A server asking for a client certificate never gets one picked silently. Electron's
//   default, without a listener, sends the first certificate of the OS store to any server that
//   asks; here every request is answered by the app: a server other than Latchkey's gets none,
//   and Latchkey's own server (a remote one behind mutual TLS) gets the one the person picks in
//   a dialog whose default button sends none.
// - A server certificate that fails verification is refused: the 'certificate-error' listener
//   only writes the refusal to the log, and never calls preventDefault() nor the callback, so
//   Electron's default (deny) applies (electron/shell/browser/api/electron_api_app.cc
//   App::AllowCertificateError).

/** The fields of Electron's Certificate shown to the person and used to match their pick. */
export interface ClientCertificate {
  subjectName: string;
  issuerName: string;
  /** Seconds since the epoch. */
  validExpiry: number;
  fingerprint: string;
}

/** Electron's App, where both events are emitted (a plain EventEmitter in the tests). */
export interface CertificateEvents {
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export interface CertificatePolicyOptions<C extends ClientCertificate> {
  serverOrigin: () => string;
  /** Asks the person; resolves with the certificate they picked, or null for none. */
  choose: (certificates: C[], host: string) => Promise<C | null>;
  log: (message: string) => void;
}

/**
 * Whether a client-certificate request is for the server origin. Electron hands over the
 * requesting host as "host:port" (its docs say a URL: both are understood).
 */
export function isServerHost(requested: string, serverOrigin: string): boolean {
  let server: URL;
  let asked: URL;
  try {
    server = new URL(serverOrigin);
    asked = new URL(requested.includes('://') ? requested : `${server.protocol}//${requested}`);
  } catch {
    return false;
  }
  const port = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');
  return asked.hostname === server.hostname && port(asked) === port(server);
}

export function installCertificatePolicy<C extends ClientCertificate>(
  app: CertificateEvents,
  options: CertificatePolicyOptions<C>,
): void {
  const select = (
    event: { preventDefault(): void },
    _webContents: unknown,
    url: string,
    certificates: C[],
    callback: (certificate?: C) => void,
  ) => {
    // Always: without it Electron sends the first certificate of the store on its own.
    event.preventDefault();
    if (certificates.length === 0 || !isServerHost(url, options.serverOrigin())) {
      if (certificates.length > 0) options.log(`refused to send a client certificate to ${url}`);
      return callback();
    }
    let answered = false;
    const answer = (certificate: C | null) => {
      if (answered) return;
      answered = true;
      const picked = certificate && certificates.find((offered) => offered.fingerprint === certificate.fingerprint);
      options.log(
        picked ? `sending the client certificate the person chose to ${url}` : `no client certificate for ${url}`,
      );
      callback(picked ?? undefined);
    };
    options.choose(certificates, url).then(answer, () => answer(null));
  };
  app.on('select-client-certificate', select);
  const logRefusal = (_event: unknown, _webContents: unknown, url: string, error: string) =>
    options.log(`refused the server certificate of ${url}: ${error}`);
  // Reviewed (test/main/security/electronegativity.test.ts): logs only; Electron's deny stands.
  app.on('certificate-error', logRefusal); // eng-disable CERTIFICATE_ERROR_EVENT_JS_CHECK
}

export interface CertificateMessageBox {
  showMessageBox(options: {
    type: 'question';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    cancelId: number;
    defaultId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
}

/** Asks which certificate to send; the default (and Escape) sends none. */
export async function chooseClientCertificate<C extends ClientCertificate>(
  box: CertificateMessageBox,
  certificates: C[],
  host: string,
): Promise<C | null> {
  const labels = certificates.map(
    (certificate) =>
      `${certificate.subjectName || 'Unnamed certificate'} — issued by ${certificate.issuerName || 'an unnamed issuer'}, ` +
      `valid until ${new Date(certificate.validExpiry * 1000).toISOString().slice(0, 10)}`,
  );
  const none = labels.length;
  const { response } = await box.showMessageBox({
    type: 'question',
    title: 'Client certificate',
    message: `${host} asks for a certificate to identify you.`,
    detail: 'Send one only if your IT department told you to. Sending none is the safe choice.',
    buttons: [...labels, 'Don’t send a certificate'],
    cancelId: none,
    defaultId: none,
    noLink: true,
  });
  return certificates[response] ?? null;
}
