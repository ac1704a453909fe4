// Fastify's own schema compilers — Ajv for what a request carries, fast-json-stringify for the
// answers — compiling each route's schema on that route's first request instead of all of them
// before the server listens. Compiling every route up front was about a third of the server's
// start (docs/performance.md "Server ready"), which every desktop launch waits for, while most
// launches use a handful of routes. The compilers, their options and the functions they return
// are Fastify's defaults, unchanged: only when each is built moves. A schema the compiler refuses
// still fails loudly (a 500 and an error log on that route's first request), and the API tests
// send every route a request.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type BuildValidator = NonNullable<CompilersFactory['buildValidator']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;
type Validator = ReturnType<ReturnType<BuildValidator>>;
type ValidatorFunction = ((data: unknown) => unknown) & { errors?: unknown };

// require(), not import: the compilers (Ajv among them) are loaded on the first compilation too.
const require = createRequire(import.meta.url);

/** Fastify's default validator compiler (@fastify/ajv-compiler), building each validator when first called. */
const buildValidator: BuildValidator = (externalSchemas, ajvOptions) => {
  let compile: ReturnType<BuildValidator> | undefined;
  return (route) => {
    let validate: ValidatorFunction | undefined;
    // Fastify reads a failed validation's reasons from the function's `errors`, as Ajv leaves them.
    const lazy: ValidatorFunction = (data) => {
      if (!validate) {
        compile ??= (require('@fastify/ajv-compiler') as () => BuildValidator)()(externalSchemas, ajvOptions);
        validate = compile(route) as ValidatorFunction;
      }
      const valid = validate(data);
      lazy.errors = validate.errors;
      return valid;
    };
    // Without Ajv's schemaEnv, Fastify passes no parent data: nothing here lets Ajv replace a whole
    // request part (no coercion, no defaults: app.ts), so none is needed.
    return lazy as Validator;
  };
};

/** Fastify's default serializer compiler (fast-json-stringify), building each serializer when first called. */
const buildSerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
  let compile: ReturnType<BuildSerializer> | undefined;
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data) => {
      if (!serialize) {
        compile ??= (require('@fastify/fast-json-stringify-compiler') as () => BuildSerializer)()(
          externalSchemas,
          serializerOptions,
        );
        serialize = compile(route);
      }
      return serialize(data);
    };
  };
};

/** For Fastify's `schemaController` option. */
export const compileOnFirstUse = { compilersFactory: { buildValidator, buildSerializer } };
