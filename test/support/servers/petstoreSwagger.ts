/**
 * A faithful subset of https://petstore.swagger.io/v2/swagger.json (Swagger 2.0): the operations
 * the CTK calls by operationId (findPetsByStatus, getPetById) plus addPet, with the same
 * parameters, definitions and security definitions. Two deliberate differences: `host`, `schemes`
 * and the OAuth URL point at the local stand-in so `call: openapi` resolves back to it, and only
 * application/json is produced because the stand-in never answers XML.
 */
export function petstoreSwagger(host: string): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: {
      description: 'This is a sample server Petstore server (local stand-in, subset).',
      version: '1.0.7',
      title: 'Swagger Petstore',
      license: { name: 'Apache 2.0', url: 'http://www.apache.org/licenses/LICENSE-2.0.html' },
    },
    host,
    basePath: '/v2',
    tags: [{ name: 'pet', description: 'Everything about your Pets' }],
    schemes: ['http'],
    paths: {
      '/pet': {
        post: {
          tags: ['pet'],
          summary: 'Add a new pet to the store',
          operationId: 'addPet',
          consumes: ['application/json'],
          produces: ['application/json'],
          parameters: [
            {
              in: 'body',
              name: 'body',
              description: 'Pet object that needs to be added to the store',
              required: true,
              schema: { $ref: '#/definitions/Pet' },
            },
          ],
          responses: {
            '200': { description: 'successful operation', schema: { $ref: '#/definitions/Pet' } },
            '405': { description: 'Invalid input' },
          },
          security: [{ petstore_auth: ['write:pets', 'read:pets'] }],
        },
      },
      '/pet/findByStatus': {
        get: {
          tags: ['pet'],
          summary: 'Finds Pets by status',
          description: 'Multiple status values can be provided with comma separated strings',
          operationId: 'findPetsByStatus',
          produces: ['application/json'],
          parameters: [
            {
              name: 'status',
              in: 'query',
              description: 'Status values that need to be considered for filter',
              required: true,
              type: 'array',
              items: {
                type: 'string',
                enum: ['available', 'pending', 'sold'],
                default: 'available',
              },
              collectionFormat: 'multi',
            },
          ],
          responses: {
            '200': {
              description: 'successful operation',
              schema: { type: 'array', items: { $ref: '#/definitions/Pet' } },
            },
            '400': { description: 'Invalid status value' },
          },
          security: [{ petstore_auth: ['write:pets', 'read:pets'] }],
        },
      },
      '/pet/{petId}': {
        get: {
          tags: ['pet'],
          summary: 'Find pet by ID',
          description: 'Returns a single pet',
          operationId: 'getPetById',
          produces: ['application/json'],
          parameters: [
            {
              name: 'petId',
              in: 'path',
              description: 'ID of pet to return',
              required: true,
              type: 'integer',
              format: 'int64',
            },
          ],
          responses: {
            '200': { description: 'successful operation', schema: { $ref: '#/definitions/Pet' } },
            '400': { description: 'Invalid ID supplied' },
            '404': { description: 'Pet not found' },
          },
          security: [{ api_key: [] }],
        },
      },
    },
    securityDefinitions: {
      api_key: { type: 'apiKey', name: 'api_key', in: 'header' },
      petstore_auth: {
        type: 'oauth2',
        authorizationUrl: `http://${host}/oauth/authorize`,
        flow: 'implicit',
        scopes: { 'read:pets': 'read your pets', 'write:pets': 'modify pets in your account' },
      },
    },
    definitions: {
      Category: {
        type: 'object',
        properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' } },
      },
      Tag: {
        type: 'object',
        properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' } },
      },
      Pet: {
        type: 'object',
        required: ['name', 'photoUrls'],
        properties: {
          id: { type: 'integer', format: 'int64' },
          category: { $ref: '#/definitions/Category' },
          name: { type: 'string', example: 'doggie' },
          photoUrls: { type: 'array', items: { type: 'string' } },
          tags: { type: 'array', items: { $ref: '#/definitions/Tag' } },
          status: {
            type: 'string',
            description: 'pet status in the store',
            enum: ['available', 'pending', 'sold'],
          },
        },
      },
    },
  };
}
