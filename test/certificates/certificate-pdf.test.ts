import { certificatePdf } from '../../server/certificates/certificate-pdf';
import { pdfText, structureCount } from '../support/pdf-text';

const labels = {
  heading: 'Intyg',
  intro: 'Detta intygar att',
  course: 'har gått kursen',
  completed: 'Klar',
  validUntil: 'Gäller till',
  code: 'Kontrollkod',
  verifyAt: 'Kontrollera på',
  issuer: 'Hjälpmedelscentrum, Region Västmanland',
};

const certificate = (name: string, courseTitle = 'Förflyttning – grunder') =>
  certificatePdf({
    name,
    courseTitle,
    completedAt: '2 december 2026',
    validUntil: '2 december 2027',
    verificationCode: 'HM7Q-4KXP-R2TD',
    verificationUrl: 'https://hjalpmedelsskolan.example/intyg/kontroll/HM7Q-4KXP-R2TD',
    labels,
  });

describe('certificatePdf', () => {
  it.each([
    'Goran Petrović',
    'Åsa Öberg',
    'Zoë Łukasz',
    'Şükrü Çelik',
    'Ольга Иванова',
    'Nguyễn Thị Hạnh',
    'Dženana Hadžić',
  ])('prints the name %s as written', async (name) => {
    const text = await pdfText(await certificate(name));
    expect(text).toContain(name);
    expect(text).toContain('Förflyttning – grunder');
  });

  it('embeds its font and stays tagged', async () => {
    const pdf = await certificate('Goran Petrović');
    expect(pdf.toString('latin1')).toContain('DejaVuSans');
    expect(pdf.toString('latin1')).toContain('/StructTreeRoot');
    expect(structureCount(pdf, 'H1')).toBe(1);
  });
});
