/**
 * A SAML IdP's metadata (an uploaded file, pasted XML or a metadata URL) read into the settings a sign-in
 * needs: entity id, where the AuthnRequest goes (HTTP-Redirect, the binding we send), the signing
 * certificates and the single logout address. Anything else in the file is ignored.
 */
import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';

/** An IdP's own metadata is a few kilobytes; a federation's aggregate (megabytes, every member) is not one IdP. */
export const MAX_METADATA_BYTES = 512 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  logoutUrl: string | null;
  /** PEM, one or more (an IdP rolling over its key publishes both). */
  certificates: string[];
}

/** Why the metadata could not be used: a key in locales/<lng>/identity.json (admin.errors.metadata.*). */
export class MetadataError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const select = xpath.useNamespaces({ md: MD, ds: 'http://www.w3.org/2000/09/xmldsig#' });
const fail = (key: string): never => {
  throw new MetadataError(`identity:admin.errors.metadata.${key}`);
};

const attr = (node: unknown, name: string): string =>
  node && typeof node === 'object' && 'getAttribute' in node
    ? ((node as Element).getAttribute(name) ?? '').trim()
    : '';

function pem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const text = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----`;
  try {
    new X509Certificate(text);
  } catch {
    fail('certificate');
  }
  return text;
}

const isHttpUrl = (value: string) => {
  try {
    return ['https:', 'http:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** The one IdP in the XML; MetadataError (with a Swedish message key) for everything we cannot use. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) fail('tooLarge');
  // No DTDs: entity expansion is the classic way to make an XML parser read files or eat memory.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail('invalid');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    return fail('invalid');
  }
  const idps = select('//md:EntityDescriptor[md:IDPSSODescriptor]', doc) as Element[];
  if (idps.length === 0) fail('noIdp');
  if (idps.length > 1) fail('manyIdps');
  const entity = idps[0];
  const entityId = attr(entity, 'entityID');
  if (!entityId) fail('noIdp');
  const descriptor = select('md:IDPSSODescriptor', entity, true) as Element;
  const location = (service: string) => {
    const node = select(`md:${service}[@Binding='${REDIRECT}']`, descriptor, true);
    const url = attr(node, 'Location');
    return url && isHttpUrl(url) ? url : null;
  };
  const ssoUrl = location('SingleSignOnService');
  if (!ssoUrl) fail('noRedirect');
  const certificates = [
    ...new Set(
      (
        select(
          "md:KeyDescriptor[not(@use) or @use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate",
          descriptor,
        ) as Element[]
      ).map((n) => pem(n.textContent)),
    ),
  ];
  if (certificates.length === 0) fail('noCertificate');
  return { entityId, ssoUrl: ssoUrl as string, logoutUrl: location('SingleLogoutService'), certificates };
}

/**
 * Fetches metadata from a URL: https, or http only on this machine (a test IdP, a local proxy); at most
 * MAX_METADATA_BYTES and ten seconds.
 */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata & { xml: string }> {
  const target = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname);
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && loopback)) fail('https');
  let xml: string;
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok || !res.body) return fail('fetch');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_METADATA_BYTES) return fail('tooLarge');
      chunks.push(chunk);
    }
    xml = Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof MetadataError) throw error;
    return fail('fetch');
  }
  return { ...parseIdpMetadata(xml), xml };
}

/** The stored certificate field (one or more PEM blocks) as node-saml's list of certificates. */
export function certificatesOf(stored: string | null): string[] {
  const blocks = (stored ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  return blocks ?? (stored ? [stored] : []);
}
