import { describe, expect, it } from 'vitest';
import { thrownBy } from '../testing/thrownBy.js';
import { errorTypes, WorkflowError } from '../workflowError.js';
import { expandUriTemplate } from './uriTemplate.js';

const at = '/do/0/getPet/call/with/endpoint';

describe('expandUriTemplate', () => {
  it("fills {petId} from the input's top-level property", () => {
    expect(expandUriTemplate('https://petstore.example/pets/{petId}', { petId: 42 }, at)).toBe(
      'https://petstore.example/pets/42',
    );
  });

  it('fills every placeholder of the template', () => {
    expect(
      expandUriTemplate(
        '/owners/{owner}/pets/{petId}?v={verbose}',
        { owner: 'ann', petId: 7, verbose: true },
        at,
      ),
    ).toBe('/owners/ann/pets/7?v=true');
  });

  it('percent-encodes the value so it stays inside its URI segment', () => {
    expect(expandUriTemplate('/search/{q}', { q: 'a b/c?d&e=f#g' }, at)).toBe(
      '/search/a%20b%2Fc%3Fd%26e%3Df%23g',
    );
  });

  it('percent-encodes non-ASCII characters as UTF-8', () => {
    expect(expandUriTemplate('/cities/{city}', { city: 'Zürich' }, at)).toBe('/cities/Z%C3%BCrich');
  });

  it('does not read nested properties', () => {
    expect(expandUriTemplate('/pets/{pet.id}', { pet: { id: 1 } }, at)).toBe('/pets/');
  });

  it.each([
    ['a missing property', {}],
    ['a null property', { petId: null }],
    ['an input that is not an object', 'just text'],
    ['a null input', null],
  ])('expands %s to nothing', (_, input) => {
    expect(expandUriTemplate('/pets/{petId}', input, at)).toBe('/pets/');
  });

  it('leaves a template without placeholders as it is', () => {
    expect(expandUriTemplate('https://example.com/a%20b', { a: 1 }, at)).toBe(
      'https://example.com/a%20b',
    );
  });

  it.each([
    ['an object', { id: 1 }],
    ['an array', [1, 2]],
  ])('rejects %s value as an expression error with status 400', (_, value) => {
    const failure = thrownBy(() => expandUriTemplate('/pets/{petId}', { petId: value }, at));
    expect(failure).toBeInstanceOf(WorkflowError);
    expect((failure as WorkflowError).problem).toMatchObject({
      type: errorTypes.expression.type,
      status: 400,
      instance: at,
    });
    expect((failure as WorkflowError).problem.detail).toContain('{petId}');
  });
});
