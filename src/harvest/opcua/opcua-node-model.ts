import type { DataTypeClassification } from './opcua-data-types';
import type { UriQualifiedName } from './opcua-node-id';

/**
 * The shape both the NodeSet importer and the live browser produce before
 * mapping to catalog datasets, so the mapping is written once. Every NodeId
 * here is in `nsu=` form.
 */

/** EUInformation of a variable's EngineeringUnits property (OPC UA Part 8, 5.6.3). */
export interface EngineeringUnitsModel {
  /** Namespace of the unit code, normally `http://www.opcfoundation.org/UA/units/un/cefact`. */
  namespaceUri?: string;
  /** UNECE Rec. 20 common code packed into an Int32, or -1 when not set. */
  unitId?: number;
  displayName?: string;
  description?: string;
}

/** An OPC UA Range (EURange, InstrumentRange). */
export interface RangeModel {
  low: number;
  high: number;
}

/** One enumeration field: its Int32 value and name. */
export interface EnumFieldModel {
  value: number;
  name: string;
}

/** A variable that becomes a property of a node group's dataset. */
export interface VariableModel {
  nodeId: string;
  browseName: UriQualifiedName;
  /** BrowseNames from the group node down to this variable (one element for a direct child). */
  browsePath: string[];
  displayName?: string;
  description?: string;
  /** NodeId of the variable's type definition (PropertyType, AnalogItemType, ...). */
  typeDefinition?: string;
  dataType?: string;
  dataTypeClassification?: DataTypeClassification;
  /** Enumeration fields when the DataType is an enumeration the source defines. */
  enumFields?: EnumFieldModel[];
  valueRank?: number;
  arrayDimensions?: number[];
  accessLevel?: number;
  /** Access for the harvesting user (live browse only). */
  userAccessLevel?: number;
  historizing?: boolean;
  modellingRule?: string;
  /** The reference that links the variable to its parent: HasProperty or HasComponent. */
  referenceType?: string;
  engineeringUnits?: EngineeringUnitsModel;
  euRange?: RangeModel;
  instrumentRange?: RangeModel;
  /** Value declared in a NodeSet, when it is a scalar that can be written as JSON. */
  declaredValue?: unknown;
}

/** An Object or ObjectType and the variables below it: one dataset. */
export interface NodeGroupModel {
  nodeId: string;
  nodeClass: 'Object' | 'ObjectType';
  browseName: UriQualifiedName;
  /** BrowseNames from the browse root down to this node (live browse only). */
  browsePath?: string[];
  displayName?: string;
  description?: string;
  /** HasTypeDefinition target of an Object. */
  typeDefinition?: string;
  /** BrowseName of the type definition, when the source names it. */
  typeDefinitionName?: string;
  /** HasSubtype source of an ObjectType. */
  supertype?: string;
  modellingRule?: string;
  variables: VariableModel[];
  /** Source-specific facts copied into the dataset details (NodeSet Category, Documentation). */
  extraDetails?: Record<string, unknown>;
}
