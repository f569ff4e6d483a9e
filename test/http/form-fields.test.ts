import { formFields } from '../../server/http/body-parsing';

describe('formFields', () => {
  it('shows a stored value as it is and a missing one (null) as an empty field', () => {
    const stored = { name: 'Köping', vatNumber: null, orgNumber: '2120002015', secret: 'never shown' };
    expect(formFields(stored, ['name', 'vatNumber', 'orgNumber'])).toEqual({
      name: 'Köping',
      vatNumber: '',
      orgNumber: '2120002015',
    });
  });
});
