/** The password of every account in the `npm run seed:scale` data set (never used outside it). */
export const SCALE_PASSWORD = 'Skala-2026!';
