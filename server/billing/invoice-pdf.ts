/**
 * An issued invoice or credit note as a tagged PDF (language, title, structure; DOS-lagen covers documents):
 * seller and buyer with organisation and VAT numbers, "Godkänd för F-skatt", the buyer's reference, the
 * lines, the VAT breakdown with any exemption reason, and how to pay.
 */
import type { TFunction } from 'i18next';
import { BODY, BOLD } from '../pdf/fonts';
import { taggedDocument } from '../pdf/tagged-document';
import { formatBankgiro, formatOrgNumber } from './identifiers';
import { formatKronor, invoiceTotals } from './money';
import type { BillingParty, Invoice } from './types';

export async function invoicePdf(
  invoice: Invoice,
  o: { t: TFunction; paymentTerms: string; note: string | null },
): Promise<Buffer> {
  const { t } = o;
  const seller = invoice.seller;
  const buyer = invoice.buyer;
  if (invoice.status !== 'issued' || !seller || !buyer)
    throw new Error(`invoice ${invoice.id} is not issued`);
  const credit = invoice.kind === 'credit_note';
  const heading = t(credit ? 'billing:pdf.creditNote' : 'billing:pdf.invoice');
  const { doc, struct, para, finish } = taggedDocument({
    margin: 50,
    title: `${heading} ${invoice.number}`,
    author: `${seller.unitName}, ${seller.name}`,
    subject: invoice.orderLabel,
  });
  const accent = '#005a8c';
  const ink = '#1a1a1a';
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const money = (ore: number) => formatKronor(ore, 'sv');
  const address = (p: BillingParty) =>
    [p.streetName, p.additionalStreetName, [p.postalZone, p.cityName].filter(Boolean).join(' ')]
      .filter(Boolean)
      .join('\n');

  doc.rect(0, 0, doc.page.width, 10).fill(accent);
  doc.fillColor(accent);
  para('P', () => doc.font(BOLD).fontSize(13).text(`${seller.unitName}, ${seller.name}`, left, 30));
  doc.fillColor(ink);
  para('P', () => doc.font(BODY).fontSize(10).text(address(seller)));
  doc.moveDown(1);
  para('H1', () => doc.font(BOLD).fontSize(22).text(`${heading} ${invoice.number}`));
  doc.moveDown(0.5);

  const facts: [string, string][] = [
    [t('billing:pdf.issueDate'), invoice.issueDate ?? ''],
    ...(credit ? [] : ([[t('billing:pdf.dueDate'), invoice.dueDate ?? '']] as [string, string][])),
    ...(credit && invoice.creditedInvoiceNumber
      ? ([[t('billing:pdf.credits'), String(invoice.creditedInvoiceNumber)]] as [string, string][])
      : []),
    [t('billing:pdf.buyerReference'), invoice.buyerReference],
    ...(invoice.costCentre
      ? ([[t('billing:pdf.costCentre'), invoice.costCentre]] as [string, string][])
      : []),
    [t('billing:pdf.order'), invoice.orderLabel],
    ...(invoice.deliveryDate
      ? ([[t('billing:pdf.deliveryDate'), invoice.deliveryDate]] as [string, string][])
      : []),
  ];
  const factsTop = doc.y;
  for (const [label, value] of facts)
    para('P', () =>
      doc
        .font(BODY)
        .fontSize(10)
        .text(`${label}: ${value}`, left, doc.y, { width: width / 2 - 10 }),
    );
  const afterFacts = doc.y;
  doc.y = factsTop;
  para('P', () =>
    doc
      .font(BOLD)
      .fontSize(10)
      .text(t('billing:pdf.buyer'), left + width / 2, factsTop, { width: width / 2 }),
  );
  para('P', () =>
    doc
      .font(BODY)
      .fontSize(10)
      .text(
        [
          buyer.name,
          address(buyer),
          `${t('billing:pdf.orgNumber')}: ${formatOrgNumber(buyer.orgNumber)}`,
          buyer.vatNumber ? `${t('billing:pdf.vatNumber')}: ${buyer.vatNumber}` : '',
          buyer.contactName ? `${t('billing:pdf.contact')}: ${buyer.contactName}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
        left + width / 2,
        doc.y,
        { width: width / 2 },
      ),
  );
  doc.y = Math.max(afterFacts, doc.y) + 20;

  // Lines as a table: description, quantity, unit price, VAT, amount. Tagged Table > TR > TH/TD, so a screen
  // reader reads each amount with its column heading.
  const cols = [0, width * 0.46, width * 0.54, width * 0.7, width * 0.84];
  const columnHeader: PDFKit.Mixins.StructureElementOptions & { scope: 'Column' } = { scope: 'Column' };
  const table = doc.struct('Table');
  struct.add(table);
  const row = (cells: string[], header = false) => {
    const y = doc.y;
    doc.font(header ? BOLD : BODY).fontSize(9.5);
    const cellWidth = (i: number) => (cols[i + 1] ?? width) - cols[i] - 6;
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: cellWidth(i) }));
    const tr = doc.struct('TR');
    table.add(tr);
    cells.forEach((c, i) => {
      const draw = () =>
        doc.text(c, left + cols[i], y, { width: cellWidth(i), align: i === 0 ? 'left' : 'right' });
      tr.add(header ? doc.struct('TH', columnHeader, draw) : doc.struct('TD', {}, draw));
    });
    tr.end();
    doc.y = y + Math.max(...heights) + 4;
    doc.x = left;
  };
  row(
    [
      t('billing:pdf.description'),
      t('billing:pdf.quantity'),
      t('billing:pdf.unitPrice'),
      t('billing:pdf.vat'),
      t('billing:pdf.amount'),
    ],
    true,
  );
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .strokeColor('#999999')
    .stroke();
  doc.y += 4;
  for (const line of invoice.lines)
    row([
      line.description,
      String(line.quantity),
      money(line.unitPriceOre),
      line.vat.category === 'E' ? t('billing:pdf.exempt') : `${line.vat.percent} %`,
      money(line.lineTotalOre),
    ]);
  table.end();
  doc.moveDown(0.5);
  const totals = invoiceTotals(invoice.lines);
  const totalLine = (label: string, value: string, bold = false) =>
    para('P', () =>
      doc
        .font(bold ? BOLD : BODY)
        .fontSize(bold ? 12 : 10)
        .text(`${label}: ${value}`, left, doc.y, { width, align: 'right' }),
    );
  totalLine(t('billing:pdf.net'), money(totals.lineTotalOre));
  for (const g of totals.breakdown) {
    totalLine(
      g.category === 'E'
        ? t('billing:pdf.vatExempt', { amount: money(g.taxableOre) })
        : t('billing:pdf.vatOn', { percent: g.percent, amount: money(g.taxableOre) }),
      money(g.taxOre),
    );
  }
  totalLine(credit ? t('billing:pdf.toCredit') : t('billing:pdf.toPay'), money(totals.payableOre), true);
  for (const g of totals.breakdown.filter((x) => x.category === 'E'))
    para('P', () =>
      doc
        .font(BODY)
        .fontSize(9.5)
        .text(`${t('billing:pdf.exemptionReason')}: ${g.exemptionReason}`, left, doc.y, { width }),
    );
  if (o.note) {
    doc.moveDown(0.5);
    para('P', () =>
      doc
        .font(BODY)
        .fontSize(10)
        .text(o.note ?? '', left, doc.y, { width }),
    );
  }
  doc.moveDown(1);
  if (!credit && seller.bankgiro)
    para('P', () =>
      doc
        .font(BOLD)
        .fontSize(10)
        .text(
          `${t('billing:pdf.bankgiro')}: ${formatBankgiro(seller.bankgiro)}   ${t('billing:pdf.paymentReference')}: ${invoice.number}`,
          left,
          doc.y,
          { width },
        ),
    );
  para('P', () => doc.font(BODY).fontSize(10).text(o.paymentTerms, left, doc.y, { width }));

  doc.moveDown(2);
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .strokeColor('#999999')
    .stroke();
  doc.moveDown(0.5);
  const footer = [
    `${seller.name}, ${t('billing:pdf.orgNumber')} ${formatOrgNumber(seller.orgNumber)}`,
    seller.vatNumber ? `${t('billing:pdf.vatNumber')} ${seller.vatNumber}` : '',
    seller.fSkatt ? 'Godkänd för F-skatt' : '',
    [seller.contactName, seller.contactPhone, seller.invoiceEmail].filter(Boolean).join(', '),
  ].filter(Boolean);
  para('P', () => doc.font(BODY).fontSize(9).text(footer.join('  ·  '), left, doc.y, { width }));
  return finish();
}
