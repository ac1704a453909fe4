// Published WebAuthn test vectors, as data: W3C Web Authentication Level 3, §16 "Test Vectors"
// (https://w3c.github.io/webauthn/#sctn-test-vectors). Every value is copied from the
// specification's hex; the relying party is RP ID `example.org`, origin `https://example.org`.
// Each registration and the authentication after it are one credential, so the assertion verifies
// against the public key the registration yields (§16: "Relying Party implementers may check that
// they can successfully validate the registration outputs given the same challenge input, and that
// they can successfully validate the authentication outputs given the same challenge input and the
// credential public key and credential ID from the associated registration example").

export const W3C_RP_ID = 'example.org';
export const W3C_ORIGIN = 'https://example.org';

export interface W3cVector {
  section: string;
  credentialIdHex: string;
  aaguidHex: string;
  registration: { challengeHex: string; clientDataJsonHex: string; attestationObjectHex: string };
  authentication: {
    challengeHex: string;
    clientDataJsonHex: string;
    authenticatorDataHex: string;
    signatureHex: string;
  };
}

/** §16.2 "ES256 Credential with No Attestation": flags UP, BE, BS (no UV); counter 0. */
export const NONE_ES256: W3cVector = {
  section: '16.2',
  credentialIdHex: 'f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4',
  aaguidHex: '8446ccb9ab1db374750b2367ff6f3a1f',
  registration: {
    challengeHex: '00c30fb78531c464d2b6771dab8d7b603c01162f2fa486bea70f283ae556e130',
    clientDataJsonHex:
      '7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a22414d4d507434557878475453746e63647134313759447742466938767049612d7077386f4f755657345441222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a20426b5165446a646354427258426941774a544c453551227d',
    attestationObjectHex:
      'a363666d74646e6f6e656761747453746d74a068617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b559000000008446ccb9ab1db374750b2367ff6f3a1f0020f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220',
  },
  authentication: {
    challengeHex: '39c0e7521417ba54d43e8dc95174f423dee9bf3cd804ff6d65c857c9abf4d408',
    clientDataJsonHex:
      '7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a224f63446e55685158756c5455506f334a5558543049393770767a7a59425039745a63685879617630314167222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73657d',
    authenticatorDataHex: 'bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b51900000000',
    signatureHex:
      '3046022100f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd380221008480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87',
  },
};

/** §16.3 "ES256 Credential with Self Attestation" (packed): registration flags UP, UV, BE, BS. */
export const PACKED_SELF_ES256: W3cVector = {
  section: '16.3',
  credentialIdHex: '455ef34e2043a87db3d4afeb39bbcb6cc32df9347c789a865ecdca129cbef58c',
  aaguidHex: 'df850e09db6afbdfab51697791506cfc',
  registration: {
    challengeHex: '7869c2b772d4b58eba9378cf8f29e26cf935aa77df0da89fa99c0bdc0a76f7e5',
    clientDataJsonHex:
      '7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a2265476e4374334c55745936366b336a506a796e6962506b31716e666644616966715a774c33417032392d55222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a205539685458764b453255526b4d6e625f307859485667227d',
    attestationObjectHex:
      'a363666d74667061636b65646761747453746d74a263616c672663736967584630440220067a20754ab925005dbf378097c92120031581c73228d1fb4f5b881bcd7da98302207fc7b147558c7c0eba3af18bd9d121fa3d3a26d17fe3f220272178f473b6006d68617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b55d00000000df850e09db6afbdfab51697791506cfc0020455ef34e2043a87db3d4afeb39bbcb6cc32df9347c789a865ecdca129cbef58ca5010203262001215820eb151c8176b225cc651559fecf07af450fd85802046656b34c18f6cf193843c5225820927b8aa427a2be1b8834d233a2d34f61f13bfd44119c325d5896e183fee484f2',
  },
  authentication: {
    challengeHex: '4478a10b1352348dd160c1353b0d469b5db19eb91c27f7dfa6fed39fe26af20b',
    clientDataJsonHex:
      '7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a225248696843784e534e493352594d45314f7731476d3132786e726b634a5f6666707637546e2d4a71386773222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a206754623533727a36456853576f6d58477a696d433151227d',
    authenticatorDataHex: 'bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b50900000000',
    signatureHex:
      '304402203310b9431903c401f1be2bdc8d23a4007682dbbddcf846994947b7f465daf84002204e94dd00047b316061b3b99772b7efd95994a83ef584b3b6b825ea3550251b66',
  },
};

const b64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

/** The vector's registration as the browser would send it (RegistrationResponseJSON). */
export function registrationResponse(vector: W3cVector) {
  const id = b64url(vector.credentialIdHex);
  return {
    id,
    rawId: id,
    type: 'public-key' as const,
    response: {
      clientDataJSON: b64url(vector.registration.clientDataJsonHex),
      attestationObject: b64url(vector.registration.attestationObjectHex),
    },
    clientExtensionResults: {},
  };
}

/** The vector's assertion as the browser would send it (AuthenticationResponseJSON). */
export function authenticationResponse(vector: W3cVector) {
  const id = b64url(vector.credentialIdHex);
  return {
    id,
    rawId: id,
    type: 'public-key' as const,
    response: {
      clientDataJSON: b64url(vector.authentication.clientDataJsonHex),
      authenticatorData: b64url(vector.authentication.authenticatorDataHex),
      signature: b64url(vector.authentication.signatureHex),
    },
    clientExtensionResults: {},
  };
}

export const registrationChallenge = (vector: W3cVector): string => b64url(vector.registration.challengeHex);
export const authenticationChallenge = (vector: W3cVector): string => b64url(vector.authentication.challengeHex);
