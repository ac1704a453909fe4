// A certificate error is never overridden: the session cookie and the person's password travel
// over that connection. Electron refuses by default only when no listener calls
// preventDefault; this listener makes the refusal explicit and reports it.

export interface CertificateErrorSource {
  on(
    event: 'certificate-error',
    listener: (
      event: { preventDefault(): void },
      contents: unknown,
      url: string,
      error: string,
      certificate: unknown,
      callback: (isTrusted: boolean) => void,
    ) => void,
  ): void;
}

export function refuseCertificateErrors(
  app: CertificateErrorSource,
  report: (url: string, error: string) => void,
): void {
  app.on('certificate-error', (event, _contents, url, error, _certificate, callback) => {
    event.preventDefault();
    callback(false);
    report(url, error);
  });
}
