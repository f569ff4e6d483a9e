/**
 * The certificate (intyg) as a tagged PDF with language and title set (DOS-lagen covers documents too):
 * name, course, date, valid until, and a verification code, link and QR code.
 */
import { BODY, BOLD } from '../pdf/fonts';
import { taggedDocument } from '../pdf/tagged-document';
import QRCode from 'qrcode';

export interface CertificateData {
  name: string;
  courseTitle: string;
  completedAt: string;
  validUntil: string;
  verificationCode: string;
  verificationUrl: string;
  labels: {
    heading: string;
    intro: string;
    course: string;
    completed: string;
    validUntil: string;
    code: string;
    verifyAt: string;
    issuer: string;
  };
}

/** Renders the certificate to a PDF buffer. */
export async function certificatePdf(data: CertificateData): Promise<Buffer> {
  const qr = await QRCode.toBuffer(data.verificationUrl, { margin: 1, width: 240 });
  const { doc, struct, para, finish } = taggedDocument({
    margin: 64,
    title: `${data.labels.heading}: ${data.courseTitle}`,
    author: data.labels.issuer,
    subject: data.name,
  });
  const ink = '#1a1a1a';
  const accent = '#005a8c';

  doc.rect(0, 0, doc.page.width, 12).fill(accent);
  doc.fillColor(accent);
  para('P', () => doc.font(BOLD).fontSize(14).text(data.labels.issuer, { align: 'left' }));
  doc.moveDown(2);
  doc.fillColor(ink);
  para('H1', () => doc.font(BOLD).fontSize(32).text(data.labels.heading));
  doc.moveDown(1);
  para('P', () => doc.font(BODY).fontSize(14).text(data.labels.intro));
  doc.moveDown(0.5);
  para('P', () => doc.font(BOLD).fontSize(24).text(data.name));
  doc.moveDown(1);
  para('P', () => doc.font(BODY).fontSize(14).text(data.labels.course));
  para('P', () => doc.font(BOLD).fontSize(20).text(data.courseTitle));
  doc.moveDown(1.5);
  para('P', () => doc.font(BODY).fontSize(13).text(`${data.labels.completed}: ${data.completedAt}`));
  para('P', () => doc.font(BODY).fontSize(13).text(`${data.labels.validUntil}: ${data.validUntil}`));
  doc.moveDown(2);
  const y = doc.y;
  struct.add(
    doc.struct('Figure', { alt: `QR: ${data.verificationUrl}` }, () =>
      doc.image(qr, doc.page.margins.left, y, { width: 110 }),
    ),
  );
  doc.x = doc.page.margins.left + 130;
  doc.y = y;
  const textWidth = doc.page.width - doc.page.margins.right - doc.x;
  para('P', () =>
    doc.font(BODY).fontSize(12).text(`${data.labels.code}: ${data.verificationCode}`, { width: textWidth }),
  );
  para('P', () => doc.font(BODY).fontSize(12).text(`${data.labels.verifyAt}:`, { width: textWidth }));
  para('P', () =>
    doc
      .font(BODY)
      .fontSize(12)
      .fillColor(accent)
      .text(data.verificationUrl, { width: textWidth, link: data.verificationUrl, underline: true }),
  );
  return finish();
}
