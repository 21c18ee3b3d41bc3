import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reads a NodeSet2 XML document (UANodeSet.xsd) into plain records. It
 * resolves nothing: NodeIds, aliases and namespace indexes stay as the file
 * writes them, and the importer resolves them against the file's own
 * namespace table.
 */

/** NodeClasses of the UANodeSet schema, by their element name without the `UA` prefix. */
export type NodeSetNodeClass =
  | 'Object'
  | 'ObjectType'
  | 'Variable'
  | 'VariableType'
  | 'DataType'
  | 'ReferenceType'
  | 'Method'
  | 'View';

const NODE_CLASSES: readonly NodeSetNodeClass[] = [
  'Object',
  'ObjectType',
  'Variable',
  'VariableType',
  'DataType',
  'ReferenceType',
  'Method',
  'View',
];

/** A LocalizedText element (`<Description Locale="en">...</Description>`). */
export interface XmlLocalizedText {
  locale?: string;
  text: string;
}

/** A `<Reference>` as written: the type may be an alias, the target uses the file's indexes. */
export interface XmlReference {
  referenceType: string;
  isForward: boolean;
  target: string;
}

/** A `<Field>` of a DataType `<Definition>`. */
export interface XmlDefinitionField {
  name: string;
  value?: number;
  dataType?: string;
}

/** One UA node element of the file. */
export interface XmlNode {
  nodeClass: NodeSetNodeClass;
  nodeId: string;
  browseName: string;
  parentNodeId?: string;
  dataType?: string;
  valueRank?: number;
  arrayDimensions?: number[];
  accessLevel?: number;
  historizing?: boolean;
  isAbstract?: boolean;
  symbolicName?: string;
  displayNames: XmlLocalizedText[];
  descriptions: XmlLocalizedText[];
  references: XmlReference[];
  /** The `<Value>` element as parsed XML (namespace prefixes removed), for the importer to decode. */
  value?: unknown;
  definitionFields: XmlDefinitionField[];
  categories: string[];
  documentation?: string;
}

/** `<RequiredModel>` or `<Model>` of the file header. */
export interface XmlModel {
  modelUri: string;
  version?: string;
  publicationDate?: string;
  requiredModels: XmlModel[];
}

/** A problem with one element; `error` when the element was skipped, `warning` when only an attribute was. */
export interface XmlProblem {
  severity: 'warning' | 'error';
  message: string;
}

/** A NodeSet2 file read into records, with the problems met while reading it. */
export interface XmlNodeSet {
  namespaceUris: string[];
  models: XmlModel[];
  aliases: Map<string, string>;
  nodes: XmlNode[];
  /** Problems with single elements; the other elements are still returned. */
  problems: XmlProblem[];
}

/** A file that cannot be read as a NodeSet at all. */
export class NodeSetFormatError extends Error {
  override readonly name = 'NodeSetFormatError';
}

type XmlElement = Record<string, unknown>;

const TEXT = '#text';
const ATTRIBUTE = '@';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Read NodeSet2 XML text. Throws NodeSetFormatError when the text is not
 * well-formed XML, carries a DOCTYPE, or has no UANodeSet root; problems
 * with single nodes go to `problems` instead.
 */
export function readNodeSetXml(xml: string): XmlNodeSet {
  // NodeSet2 files never declare a DOCTYPE; rejecting it rules out entity expansion attacks.
  if (/<!DOCTYPE/i.test(xml)) {
    throw new NodeSetFormatError('the XML declares a DOCTYPE, which NodeSet2 files never contain');
  }

  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new NodeSetFormatError(`not well-formed XML at line ${line}, column ${col}: ${msg}`);
  }

  const document = asElement(parser.parse(xml) as unknown);
  const root = document === undefined ? undefined : asElement(document['UANodeSet']);
  if (root === undefined) {
    throw new NodeSetFormatError('the root element is not UANodeSet');
  }

  const problems: XmlProblem[] = [];
  return {
    namespaceUris: children(root['NamespaceUris'], 'Uri').map(textOf).filter(isText),
    models: children(root['Models'], 'Model').map(readModel).filter(isDefined),
    aliases: readAliases(root),
    nodes: readNodes(root, problems),
    problems,
  };
}

function readNodes(root: XmlElement, problems: XmlProblem[]): XmlNode[] {
  const nodes: XmlNode[] = [];

  for (const nodeClass of NODE_CLASSES) {
    for (const element of list(root[`UA${nodeClass}`])) {
      const node = readNode(nodeClass, element, problems);
      if (typeof node === 'string') {
        problems.push({ severity: 'error', message: node });
      } else {
        nodes.push(node);
      }
    }
  }

  return nodes;
}

/** Read one node element, or return a problem description when it lacks NodeId or BrowseName. */
function readNode(
  nodeClass: NodeSetNodeClass,
  value: unknown,
  problems: XmlProblem[],
): XmlNode | string {
  const element = asElement(value) ?? {};
  const nodeId = attribute(element, 'NodeId');
  const browseName = attribute(element, 'BrowseName');
  if (nodeId === undefined || browseName === undefined) {
    const which = nodeId === undefined ? 'NodeId' : 'BrowseName';
    return `UA${nodeClass} ${nodeId ?? browseName ?? '(unnamed)'} has no ${which} attribute and was skipped`;
  }

  const node: XmlNode = {
    nodeClass,
    nodeId,
    browseName,
    displayNames: list(element['DisplayName']).map(readLocalizedText).filter(isDefined),
    descriptions: list(element['Description']).map(readLocalizedText).filter(isDefined),
    references: children(element['References'], 'Reference').map(readReference).filter(isDefined),
    definitionFields: children(element['Definition'], 'Field').map(readField).filter(isDefined),
    categories: list(element['Category']).map(textOf).filter(isText),
  };

  const invalid = assignAttributes(node, element);
  for (const name of invalid) {
    problems.push({
      severity: 'warning',
      message: `UA${nodeClass} ${nodeId}: attribute ${name}="${attribute(element, name) ?? ''}" is not an integer (list) and was ignored; fix the value in the file`,
    });
  }

  if (element['Value'] !== undefined) {
    node.value = element['Value'];
  }
  const documentation = textOf(element['Documentation']);
  if (documentation !== undefined) {
    node.documentation = documentation;
  }

  return node;
}

/** Copy the optional attributes onto the node; returns the names of attributes with invalid values. */
function assignAttributes(node: XmlNode, element: XmlElement): string[] {
  const invalid: string[] = [];
  const integer = (name: string): number | undefined => {
    const text = attribute(element, name);
    if (text === undefined) {
      return undefined;
    }
    const parsed = parseInteger(text);
    if (parsed === undefined) {
      invalid.push(name);
    }
    return parsed;
  };

  const parentNodeId = attribute(element, 'ParentNodeId');
  const dataType = attribute(element, 'DataType');
  const valueRank = integer('ValueRank');
  const accessLevel = integer('AccessLevel');
  const arrayDimensions = attribute(element, 'ArrayDimensions');
  const historizing = attribute(element, 'Historizing');
  const isAbstract = attribute(element, 'IsAbstract');
  const symbolicName = attribute(element, 'SymbolicName');

  if (parentNodeId !== undefined) node.parentNodeId = parentNodeId;
  if (dataType !== undefined) node.dataType = dataType;
  if (valueRank !== undefined) node.valueRank = valueRank;
  if (accessLevel !== undefined) node.accessLevel = accessLevel;
  if (arrayDimensions !== undefined) {
    const dimensions = arrayDimensions.split(',').map(parseInteger);
    if (dimensions.every(isDefined)) {
      node.arrayDimensions = dimensions;
    } else {
      invalid.push('ArrayDimensions');
    }
  }
  if (historizing !== undefined) node.historizing = historizing === 'true';
  if (isAbstract !== undefined) node.isAbstract = isAbstract === 'true';
  if (symbolicName !== undefined) node.symbolicName = symbolicName;

  return invalid;
}

function readModel(value: unknown): XmlModel | undefined {
  const element = asElement(value);
  const modelUri = element === undefined ? undefined : attribute(element, 'ModelUri');
  if (element === undefined || modelUri === undefined) {
    return undefined;
  }

  const model: XmlModel = {
    modelUri,
    requiredModels: list(element['RequiredModel']).map(readModel).filter(isDefined),
  };
  const version = attribute(element, 'Version');
  const publicationDate = attribute(element, 'PublicationDate');
  if (version !== undefined) model.version = version;
  if (publicationDate !== undefined) model.publicationDate = publicationDate;

  return model;
}

function readAliases(root: XmlElement): Map<string, string> {
  const aliases = new Map<string, string>();

  for (const value of children(root['Aliases'], 'Alias')) {
    const element = asElement(value);
    const alias = element === undefined ? undefined : attribute(element, 'Alias');
    const target = textOf(value);
    if (alias !== undefined && target !== undefined) {
      aliases.set(alias, target);
    }
  }

  return aliases;
}

function readReference(value: unknown): XmlReference | undefined {
  const element = asElement(value);
  const referenceType = element === undefined ? undefined : attribute(element, 'ReferenceType');
  const target = textOf(value);
  if (element === undefined || referenceType === undefined || target === undefined) {
    return undefined;
  }

  // UANodeSet.xsd: IsForward defaults to true.
  return { referenceType, isForward: attribute(element, 'IsForward') !== 'false', target };
}

function readField(value: unknown): XmlDefinitionField | undefined {
  const element = asElement(value);
  const name = element === undefined ? undefined : attribute(element, 'Name');
  if (element === undefined || name === undefined) {
    return undefined;
  }

  const field: XmlDefinitionField = { name };
  const fieldValue = integerAttribute(element, 'Value');
  const dataType = attribute(element, 'DataType');
  if (fieldValue !== undefined) field.value = fieldValue;
  if (dataType !== undefined) field.dataType = dataType;

  return field;
}

function readLocalizedText(value: unknown): XmlLocalizedText | undefined {
  const text = textOf(value);
  if (text === undefined) {
    return undefined;
  }

  const element = asElement(value);
  const locale = element === undefined ? undefined : attribute(element, 'Locale');
  return locale === undefined ? { text } : { locale, text };
}

/** Return the element children named `name` of `parent`, as a list. */
function children(parent: unknown, name: string): unknown[] {
  const element = asElement(parent);
  return element === undefined ? [] : list(element[name]);
}

function list(value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** Return an element's text content; undefined for empty or missing elements. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value === '' ? undefined : value;
  }

  const element = asElement(value);
  if (element === undefined) {
    return undefined;
  }
  const text = element[TEXT];
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** Return `value` as an element record, or undefined when it is text or a list. */
export function asElement(value: unknown): XmlElement | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return value as XmlElement;
}

function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[`${ATTRIBUTE}${name}`];
  return typeof value === 'string' ? value : undefined;
}

function integerAttribute(element: XmlElement, name: string): number | undefined {
  const value = attribute(element, name);
  return value === undefined ? undefined : parseInteger(value);
}

function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}
