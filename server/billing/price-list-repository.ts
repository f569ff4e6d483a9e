/** The price list: articles and their prices over time, each with its VAT treatment. */
import type { Knex } from 'knex';
import type { ArticleCode, PriceArticle, PriceEntry, VatTreatment } from './types';

type Db = Knex | Knex.Transaction;

interface EntryRow {
  id: number;
  article_code: ArticleCode;
  valid_from: string;
  valid_until: string | null;
  unit_price_ore: number;
  vat_category: VatTreatment['category'];
  vat_percent: number;
  vat_exemption_reason: string | null;
}

const toEntry = (r: EntryRow): PriceEntry => ({
  id: r.id,
  articleCode: r.article_code,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  unitPriceOre: r.unit_price_ore,
  vat: { category: r.vat_category, percent: r.vat_percent, exemptionReason: r.vat_exemption_reason },
});

export function priceListRepository(db: Knex) {
  return {
    async articles(): Promise<PriceArticle[]> {
      const rows = await db('price_articles').orderBy('sort').select<
        {
          code: ArticleCode;
          name_sv: string;
          name_en: string;
          kind: PriceArticle['kind'];
          unit: PriceArticle['unit'];
        }[]
      >('code', 'name_sv', 'name_en', 'kind', 'unit');
      return rows.map((r) => ({
        code: r.code,
        name: { sv: r.name_sv, en: r.name_en },
        kind: r.kind,
        unit: r.unit,
      }));
    },

    async entries(): Promise<PriceEntry[]> {
      return (
        await db('price_list_entries as e')
          .join('price_articles as a', 'a.code', 'e.article_code')
          .orderBy([{ column: 'a.sort' }, { column: 'e.valid_from', order: 'desc' }])
          .select<EntryRow[]>('e.*')
      ).map(toEntry);
    },

    /** The price of an article on a day (YYYY-MM-DD), or null when the list has none. */
    async priceOn(code: ArticleCode, date: string, trx: Db = db): Promise<PriceEntry | null> {
      const row = await trx('price_list_entries')
        .where({ article_code: code })
        .where('valid_from', '<=', date)
        .where((w) => w.whereNull('valid_until').orWhere('valid_until', '>=', date))
        .first<EntryRow | undefined>();
      return row ? toEntry(row) : null;
    },

    /**
     * Adds a price from a day on. The open-ended price that starts earlier ends the day before; a price that
     * would overlap any other period is refused by the database (exclusion constraint) and reported as false.
     */
    async addEntry(input: {
      articleCode: ArticleCode;
      validFrom: string;
      validUntil: string | null;
      unitPriceOre: number;
      vat: VatTreatment;
      createdBy: number;
    }): Promise<boolean> {
      try {
        await db.transaction(async (trx) => {
          await trx('price_articles').where({ code: input.articleCode }).forUpdate().first('code');
          await trx('price_list_entries')
            .where({ article_code: input.articleCode })
            .whereNull('valid_until')
            .where('valid_from', '<', input.validFrom)
            .update({ valid_until: trx.raw(`?::date - 1`, [input.validFrom]) });
          await trx('price_list_entries').insert({
            article_code: input.articleCode,
            valid_from: input.validFrom,
            valid_until: input.validUntil,
            unit_price_ore: input.unitPriceOre,
            vat_category: input.vat.category,
            vat_percent: input.vat.percent,
            vat_exemption_reason: input.vat.category === 'E' ? input.vat.exemptionReason : null,
            created_by: input.createdBy,
          });
        });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === '23P01') return false;
        throw error;
      }
    },
  };
}

export type PriceListRepository = ReturnType<typeof priceListRepository>;
