/**
 * A small but real SAML 2.0 identity provider on loopback for the tests: it reads the HTTP-Redirect
 * AuthnRequest, and answers with a Response whose Assertion is signed (RSA-SHA256, exclusive c14n) with its
 * key, posted to the ACS by an HTML form with a button.
 * `next` lets a test make the next answer wrong in one way (tampered, expired, another issuer, skewed clock, wrong key).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'saml');
export const IDP_CERT = fs.readFileSync(path.join(FIXTURES, 'idp-cert.pem'), 'utf8');
const IDP_KEY = fs.readFileSync(path.join(FIXTURES, 'idp-key.pem'), 'utf8');
const OTHER_KEY = fs.readFileSync(path.join(FIXTURES, 'other-key.pem'), 'utf8');

/** `skew`: the IdP's clock 90 s ahead (refused); `slightSkew`: 45 s ahead (within the minute allowed). */
export type Fault =
  'none' | 'tampered' | 'expired' | 'issuer' | 'skew' | 'slightSkew' | 'wrongKey' | 'unsigned';

export interface SamlPerson {
  nameId: string;
  /** Attribute name → value; a test may leave any out (the e-mail address too). */
  attributes: Partial<Record<string, string>>;
}

export interface AuthnRequest {
  id: string;
  acsUrl: string;
  issuer: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The AuthnRequest in a redirect URL (deflated, base64). */
export function readAuthnRequest(redirectUrl: string): AuthnRequest {
  const xml = zlib
    .inflateRawSync(Buffer.from(new URL(redirectUrl).searchParams.get('SAMLRequest') ?? '', 'base64'))
    .toString('utf8');
  const attr = (name: string) => new RegExp(`${name}="([^"]+)"`).exec(xml)?.[1] ?? '';
  return {
    id: attr('ID'),
    acsUrl: attr('AssertionConsumerServiceURL'),
    issuer: /<(?:saml:)?Issuer[^>]*>([^<]+)</.exec(xml)?.[1] ?? '',
  };
}

/** A base64 SAMLResponse for the request, signed unless the fault says otherwise. */
export function samlResponse(
  entityId: string,
  request: AuthnRequest,
  person: SamlPerson,
  fault: Fault = 'none',
): string {
  const shift =
    fault === 'skew' ? 90_000 : fault === 'slightSkew' ? 45_000 : fault === 'expired' ? -60 * 60_000 : 0;
  const now = new Date(Date.now() + shift);
  const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const responseId = `_r${crypto.randomBytes(12).toString('hex')}`;
  const assertionId = `_a${crypto.randomBytes(12).toString('hex')}`;
  const issuer = fault === 'issuer' ? 'https://idp.someone-else.example' : entityId;
  const attributes = Object.entries(person.attributes)
    .map(
      ([k, v]) =>
        `<saml:Attribute Name="${esc(k)}"><saml:AttributeValue>${esc(v ?? '')}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('');
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${iso(0)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(person.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${request.id}" NotOnOrAfter="${iso(5 * 60_000)}" Recipient="${esc(request.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(-1000)}" NotOnOrAfter="${iso(5 * 60_000)}"><saml:AudienceRestriction><saml:Audience>${esc(request.issuer)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(0)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`;
  let signed = assertion;
  if (fault !== 'unsigned') {
    const sig = new SignedXml({
      privateKey: fault === 'wrongKey' ? OTHER_KEY : IDP_KEY,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: [
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      ],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(assertion, {
      location: { reference: "//*[local-name(.)='Issuer']", action: 'after' },
    });
    signed = sig.getSignedXml();
  }
  // Changing the person after signing: the digest no longer matches.
  if (fault === 'tampered') signed = signed.replace(esc(person.attributes.email ?? ''), 'chefen@vasteras.se');
  const response =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${responseId}" Version="2.0" IssueInstant="${iso(0)}" Destination="${esc(request.acsUrl)}" InResponseTo="${request.id}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    signed +
    `</samlp:Response>`;
  return Buffer.from(response, 'utf8').toString('base64');
}

/** The IdP's metadata: entity id, SSO and SLO (HTTP-Redirect) and its signing certificate. */
export function idpMetadata(entityId: string, base: string, cert = IDP_CERT): string {
  const der = cert.replace(/-----[^-]+-----|\s+/g, '');
  return (
    `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/slo"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${base}/sso-post"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** A LogoutResponse (deflated, base64, HTTP-Redirect) to a LogoutRequest. */
export function logoutResponse(entityId: string, inResponseTo: string, destination: string): string {
  const xml =
    `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l${crypto.randomBytes(12).toString('hex')}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(destination)}" InResponseTo="${esc(inResponseTo)}">` +
    `<saml:Issuer>${esc(entityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`;
  return zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
}

/** The LogoutRequest in a redirect URL: its id and the NameID it ends. */
export function readLogoutRequest(redirectUrl: string): { id: string; nameId: string; sessionIndex: string } {
  const xml = zlib
    .inflateRawSync(Buffer.from(new URL(redirectUrl).searchParams.get('SAMLRequest') ?? '', 'base64'))
    .toString('utf8');
  return {
    id: /ID="([^"]+)"/.exec(xml)?.[1] ?? '',
    nameId: /<(?:saml:)?NameID[^>]*>([^<]+)</.exec(xml)?.[1] ?? '',
    sessionIndex: /<(?:samlp:)?SessionIndex>([^<]+)</.exec(xml)?.[1] ?? '',
  };
}

/**
 * The IdP as an HTTP server: GET /sso answers the AuthnRequest with a form that posts the signed response;
 * GET /metadata is its metadata; GET /slo ends the named session and redirects to `spLogoutUrl` with a LogoutResponse.
 */
export async function startSamlIdp(): Promise<{
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  spLogoutUrl: string;
  loggedOut: string[];
  person: SamlPerson;
  next: Fault;
  responses: { acsUrl: string; samlResponse: string }[];
  close(): Promise<void>;
}> {
  const state = {
    entityId: '',
    ssoUrl: '',
    metadataUrl: '',
    spLogoutUrl: '',
    loggedOut: [] as string[],
    person: { nameId: 'anna-1', attributes: {} },
    next: 'none' as Fault,
    responses: [] as { acsUrl: string; samlResponse: string }[],
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.ssoUrl);
    if (url.pathname === '/metadata')
      return res
        .writeHead(200, { 'content-type': 'application/samlmetadata+xml' })
        .end(idpMetadata(state.entityId, new URL(state.ssoUrl).origin));
    if (url.pathname === '/slo') {
      const logout = readLogoutRequest(url.href);
      state.loggedOut.push(logout.nameId);
      const back = new URL(state.spLogoutUrl);
      back.searchParams.set('SAMLResponse', logoutResponse(state.entityId, logout.id, state.spLogoutUrl));
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname !== '/sso') return res.writeHead(404).end();
    const request = readAuthnRequest(url.href);
    const samlResponseValue = samlResponse(state.entityId, request, state.person, state.next);
    state.next = 'none';
    state.responses.push({ acsUrl: request.acsUrl, samlResponse: samlResponseValue });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="sv"><head><title>Test-IdP</title></head><body><main><h1>Test-IdP</h1>` +
        `<form method="post" action="${esc(request.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${samlResponseValue}">` +
        `<button type="submit">Fortsätt</button></form></main></body></html>`,
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.entityId = `${base}/idp`;
  state.ssoUrl = `${base}/sso`;
  state.metadataUrl = `${base}/metadata`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  return state;
}

export const SP_KEY_FILE = path.join(FIXTURES, 'sp-key.pem');
export const SP_CERT_FILE = path.join(FIXTURES, 'sp-cert.pem');
export const OTHER_CERT = fs.readFileSync(path.join(FIXTURES, 'other-cert.pem'), 'utf8');

/** The response with its (signed) assertion encrypted to a service provider's certificate (AES-256-GCM, RSA-OAEP). */
export async function encryptAssertion(samlResponseB64: string, spCert: string): Promise<string> {
  const xml = Buffer.from(samlResponseB64, 'base64').toString('utf8');
  const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)?.[0] ?? '';
  const encrypted = await new Promise<string>((resolve, reject) => {
    xmlenc.encrypt(
      assertion,
      {
        rsa_pub: new crypto.X509Certificate(spCert).publicKey.export({ type: 'spki', format: 'pem' }),
        pem: spCert,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
      },
      (err: Error | null, result: string) => {
        if (err) reject(err);
        else resolve(result);
      },
    );
  });
  return Buffer.from(
    xml.replace(assertion, `<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>`),
    'utf8',
  ).toString('base64');
}

/**
 * The IdP starting a logout (the person logged out of another application): a LogoutRequest for the NameID,
 * HTTP-Redirect to the SP's logout address, signed with the IdP's key (or another key, or not at all).
 */
export function idpLogoutRequestUrl(
  entityId: string,
  spLogoutUrl: string,
  nameId: string,
  signer: 'idp' | 'other' | 'unsigned' = 'idp',
): { url: string; id: string } {
  const id = `_lr${crypto.randomBytes(12).toString('hex')}`;
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${esc(spLogoutUrl)}">` +
    `<saml:Issuer>${esc(entityId)}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(nameId)}</saml:NameID></samlp:LogoutRequest>`;
  const enc = encodeURIComponent;
  let query = `SAMLRequest=${enc(zlib.deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (signer !== 'unsigned') {
    query += `&SigAlg=${enc('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}`;
    const signature = crypto.sign('sha256', Buffer.from(query), signer === 'idp' ? IDP_KEY : OTHER_KEY);
    query += `&Signature=${enc(signature.toString('base64'))}`;
  }
  return { url: `${spLogoutUrl}?${query}`, id };
}
