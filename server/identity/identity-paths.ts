/** The identity feature's addresses: routes, views, redirects and the URLs given to providers are built from these. */
import { paths } from '../http/paths';

type Id = number | string;

export const identityPaths = {
  find: paths.organisationLogin,
  start: (id: Id = ':id') => `/sso/${id}/start`,
  /** An administrator trying a provider before it is turned on. */
  tryStart: (id: Id) => `/sso/${id}/start?prova=1`,
  oidcCallback: (id: Id = ':id') => `/sso/${id}/oidc`,
  samlAcs: (id: Id = ':id') => `/sso/${id}/saml`,
  samlLogout: (id: Id = ':id') => `/sso/${id}/saml/logout`,
  samlMetadata: (id: Id = ':id') => `/sso/${id}/saml/metadata`,
  /** Our SAML entity id (a URL, never served). */
  samlEntity: '/sso/saml',
  complete: '/sso/valj-enhet',
  link: '/sso/koppla',
  linkMailSent: '/sso/koppla?skickat=1',
  linkMail: '/sso/koppla/skicka-lank',
  /** The mailed link that proves the address (opened in the browser where the provider sign-in waits). */
  linkByMail: (token = ':token') => `/sso/koppla/lank/${token}`,
};

export const providerAdminPaths = {
  list: paths.adminSignIn,
  add: `${paths.adminSignIn}?ny=1`,
  provider: (id: Id = ':id') => `${paths.adminSignIn}/${id}`,
  status: (id: Id = ':id') => `${paths.adminSignIn}/${id}/status`,
};
