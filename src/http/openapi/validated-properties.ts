import { ApiProperty, DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { portablePattern } from './code-pattern.js';

/** A DTO class: the validation pipe builds it with no arguments. */
export type DtoClass = abstract new () => object;

const prototypeOf = (dto: DtoClass): object => dto.prototype as object;

type Schema = Record<string, unknown>;
type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/**
 * What each class-validator rule says about a value's JSON schema. The DTOs' validators are the
 * single source of truth: the document is derived from them instead of repeating every bound in
 * `@ApiProperty`, so a changed rule cannot leave the document behind.
 */
const RULES: Record<string, (constraints: readonly unknown[]) => Schema> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isUUID: () => ({ type: 'string', format: 'uuid' }),
  // As tight as isIsoDate: years from 1900 (the day of the month is checked by the server).
  isCalendarDate: () => ({
    type: 'string',
    format: 'date',
    pattern: '^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  }),
  isIn: ([values]) => enumSchema(values as readonly unknown[]),
  matches: ([pattern]) => ({
    type: 'string',
    pattern: pattern instanceof RegExp ? portablePattern(pattern) : String(pattern),
  }),
  minLength: ([n]) => ({ minLength: n }),
  maxLength: ([n]) => ({ maxLength: n }),
  min: ([n]) => ({ minimum: n }),
  max: ([n]) => ({ maximum: n }),
  isArray: () => ({ type: 'array' }),
  // The nested class (@ValidateNested with @Type) gives the object's schema.
  isObject: () => ({}),
  arrayMinSize: ([n]) => ({ minItems: n }),
  arrayMaxSize: ([n]) => ({ maxItems: n }),
};

function enumSchema(values: readonly unknown[]): Schema {
  const type = values.every((v) => typeof v === 'string')
    ? 'string'
    : values.every((v) => Number.isInteger(v))
      ? 'integer'
      : undefined;
  return { enum: [...values], ...(type && { type }) };
}

/**
 * Gives every property of `dto` (and of the DTOs nested in it) the `@ApiProperty` metadata its
 * validators imply. A hand-written `@ApiProperty` on a property wins over the derived values, for
 * what validators cannot say: a description, or the item class of an array of nested objects.
 */
export function documentValidatedDto(dto: DtoClass, done = new Set<DtoClass>()): void {
  if (done.has(dto)) return;
  done.add(dto);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    const list = byProperty.get(rule.propertyName) ?? [];
    list.push(rule);
    byProperty.set(rule.propertyName, list);
  }
  const defaults = new (dto as new () => Record<string, unknown>)();
  for (const [property, rules] of byProperty) {
    const derived = propertySchema(dto, property, rules, defaults[property]);
    for (const nested of derived.nested) documentValidatedDto(nested, done);
    const explicit = explicitOptions(dto, property);
    ApiProperty({ ...derived.options, ...explicit })(prototypeOf(dto), property);
  }
}

function propertySchema(
  dto: DtoClass,
  property: string,
  rules: readonly ValidationMetadata[],
  defaultValue: unknown,
): { options: Schema; nested: DtoClass[] } {
  const own: Schema = {};
  const items: Schema = {};
  const nested: DtoClass[] = [];
  let nestedSchema: Schema = {};
  let required = true;
  for (const rule of rules) {
    if (rule.type === 'conditionalValidation') {
      // @IsOptional / @ValidateIf: the property may be left out.
      required = false;
      continue;
    }
    if (rule.type === 'nestedValidation') {
      const type = nestedType(dto, property, rule.each);
      nested.push(type);
      nestedSchema = rule.each ? { type: [type] } : { type };
      continue;
    }
    const name = rule.name ?? rule.type;
    const toSchema = RULES[name];
    if (!toSchema) {
      throw new Error(
        `${dto.name}.${property}: no OpenAPI mapping for the @${name} rule (add it in src/http/openapi/validated-properties.ts)`,
      );
    }
    Object.assign(rule.each ? items : own, toSchema(rule.constraints as readonly unknown[]));
  }
  // The nested class says more than @IsArray's plain `array`.
  Object.assign(own, nestedSchema);
  if (Object.keys(items).length > 0 && nested.length === 0) {
    own['type'] = 'array';
    own['items'] = items;
  }
  return {
    options: {
      ...own,
      required,
      ...(defaultValue !== undefined && { default: defaultValue }),
    },
    nested,
  };
}

/** The class of a nested DTO: the declared type, or for arrays the hand-written item class. */
function nestedType(dto: DtoClass, property: string, each: boolean): DtoClass {
  const explicit = explicitOptions(dto, property).type;
  if (typeof explicit === 'function') return explicit as DtoClass;
  const declared = Reflect.getMetadata('design:type', prototypeOf(dto), property) as unknown;
  if (!each && typeof declared === 'function' && declared !== Object) return declared as DtoClass;
  throw new Error(
    `${dto.name}.${property}: an array of nested objects needs @ApiProperty({ type: [ItemDto] })`,
  );
}

/**
 * The `@ApiProperty` options written by hand, without the type @nestjs/swagger filled in from
 * the TypeScript type (Number says less than the validators' `integer`).
 */
function explicitOptions(dto: DtoClass, property: string): Schema {
  const existing = Reflect.getMetadata(
    DECORATORS.API_MODEL_PROPERTIES,
    prototypeOf(dto),
    property,
  ) as Schema | undefined;
  if (!existing) return {};
  const declared = Reflect.getMetadata('design:type', prototypeOf(dto), property) as unknown;
  const { type, ...rest } = existing;
  return type === undefined || type === declared ? rest : { type, ...rest };
}
