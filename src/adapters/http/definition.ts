import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const status = s.integer({ min: 100, max: 599 });

export const httpDefinition: ActionDefinition = {
  key: 'http',
  check: (input) => {
    const url = input.url;
    if (typeof url !== 'string' || url.includes('${{')) return undefined;
    return /^https?:\/\//i.test(url) ? undefined : `\`http.url\` must start with http:// or https://, not \`${url.slice(0, 40)}\``;
  },
  summary: 'Send an HTTP request and check the answer; with thresholds, a health check',
  schema: s.object(
    {
      url: s.string({ description: 'http:// or https:// URL.' }),
      method: s.enumOf(HTTP_METHODS, 'Default GET.'),
      headers: s.map(s.oneOf([s.string(), s.number(), s.boolean()]), { description: 'Request headers.' }),
      body: s.string({ description: 'Request body as text.', notStringHint: 'for a JSON body, write it under `json:` instead of `body:` (it is sent as JSON with content-type application/json)' }),
      json: s.any('Request body as JSON (sets content-type: application/json).'),
      expect: s.object(
        {
          status: s.oneOf([status, s.array(status, { minItems: 1 })], 'Expected status or statuses (default: any 2xx).'),
          body_contains: s.string({ description: 'Text the body must contain.' }),
          json: s.oneOf(
            [
              s.map(s.any(), { description: 'JSON path (`$.a.b[0]` or `a.b`) → expected value.' }),
              s.string({
                format: 'expression',
                variables: ['json', 'status', 'body', 'headers'],
                description: 'A CEL condition over `json` (the parsed body), `status`, `body` and `headers`, e.g. `json.status == "ok"`.',
              }),
            ],
            'What the JSON body must hold.',
          ),
        },
        { description: 'What a healthy answer looks like.' },
      ),
      interval: s.duration('Time between checks (default 10s, or 1s for plain retries).'),
      timeout: s.duration('Timeout of each request (default 10s).'),
      healthy_threshold: s.integer({ min: 1, description: 'Consecutive good answers needed (default 1).' }),
      unhealthy_threshold: s.integer({ min: 1, description: 'Consecutive bad answers that fail the step (default 1 + retries).' }),
      retries: s.integer({ min: 0, description: 'Bad answers tolerated before failing (default 0); same as unhealthy_threshold - 1.' }),
    },
    { required: ['url'], shortForm: 'url' },
  ),
  effect: (input, step) => {
    if (step.readonly) return 'read';
    const method = typeof input.method === 'string' ? input.method.toUpperCase() : 'GET';
    return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
  },
  outputs: ['status', 'checks'],
  load: () => import('./run'),
};
