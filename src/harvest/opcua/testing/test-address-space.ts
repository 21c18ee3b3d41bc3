import { DataType, PermissionType, WellKnownRoles, makeRoles, standardUnits } from 'node-opcua';
import type {
  AddressSpace,
  Namespace,
  RolePermissionTypeOptions,
  UAObject,
  UAVariable,
} from 'node-opcua';

/**
 * The address space the test server adds to the loaded NodeSets: a
 * bioreactor with EngineeringUnits, EURange and changing values, its
 * Identification built from the companion specification's
 * MachineIdentificationType when that type is loaded, and, for load tests,
 * many generated variables.
 */

/** Stops the simulation timer. */
export interface SimulationHandle {
  stop: () => void;
}

const MACHINERY_NAMESPACE_URI = 'http://opcfoundation.org/UA/Machinery/';
const DI_NAMESPACE_URI = 'http://opcfoundation.org/UA/DI/';

/** Anonymous sessions may browse and read; authenticated users may also write. */
export const READ_ONLY_FOR_ANONYMOUS: RolePermissionTypeOptions[] = [
  {
    roleId: makeRoles(WellKnownRoles.Anonymous)[0],
    permissions: PermissionType.Browse | PermissionType.Read,
  },
  {
    roleId: makeRoles(WellKnownRoles.AuthenticatedUser)[0],
    permissions: PermissionType.Browse | PermissionType.Read | PermissionType.Write,
  },
];

/** pH has no UNECE Rec. 20 code, so unitId is -1 (not available) and the DisplayName carries the unit. */
const PH_UNITS = {
  namespaceUri: 'http://www.opcfoundation.org/UA/units/un/cefact',
  unitId: -1,
  displayName: { text: 'pH' },
  description: { text: 'pH value' },
};

/** Add `Bioreactor1` below Objects and start changing its values every second. */
export function addBioreactor(
  addressSpace: AddressSpace,
  namespace: Namespace,
  objects: UAObject,
): SimulationHandle {
  const bioreactor = namespace.addObject({
    browseName: 'Bioreactor1',
    nodeId: 's=Bioreactor1',
    organizedBy: objects,
    description: { locale: 'en', text: 'Stirred-tank bioreactor in lab 2.14' },
  });

  const temperature = namespace.addAnalogDataItem({
    componentOf: bioreactor,
    browseName: 'Temperature',
    accessLevel: 'CurrentRead',
    nodeId: 's=Bioreactor1.Temperature',
    description: { locale: 'en', text: 'Broth temperature' },
    dataType: 'Double',
    engineeringUnits: standardUnits.degree_celsius,
    engineeringUnitsRange: { low: 0, high: 150 },
    value: { dataType: DataType.Double, value: 37 },
  });

  const ph = namespace.addAnalogDataItem({
    componentOf: bioreactor,
    browseName: 'pH',
    accessLevel: 'CurrentRead',
    nodeId: 's=Bioreactor1.pH',
    description: { locale: 'en', text: 'Broth pH' },
    dataType: 'Double',
    engineeringUnits: PH_UNITS,
    engineeringUnitsRange: { low: 0, high: 14 },
    value: { dataType: DataType.Double, value: 7 },
  });

  const stirrer = namespace.addAnalogDataItem({
    componentOf: bioreactor,
    browseName: 'StirrerSpeed',
    accessLevel: 'CurrentRead',
    nodeId: 's=Bioreactor1.StirrerSpeed',
    description: { locale: 'en', text: 'Stirrer speed' },
    dataType: 'Double',
    engineeringUnits: standardUnits.revolutions_per_minute,
    engineeringUnitsRange: { low: 0, high: 1500 },
    value: { dataType: DataType.Double, value: 300 },
  });

  namespace.addAnalogDataItem({
    componentOf: bioreactor,
    browseName: 'TemperatureSetpoint',
    nodeId: 's=Bioreactor1.TemperatureSetpoint',
    description: { locale: 'en', text: 'Temperature setpoint of the controller' },
    dataType: 'Double',
    engineeringUnits: standardUnits.degree_celsius,
    engineeringUnitsRange: { low: 4, high: 80 },
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    rolePermissions: READ_ONLY_FOR_ANONYMOUS,
    value: { dataType: DataType.Double, value: 37 },
  });

  namespace.addVariable({
    propertyOf: bioreactor,
    browseName: 'BatchId',
    nodeId: 's=Bioreactor1.BatchId',
    accessLevel: 'CurrentRead',
    description: { locale: 'en', text: 'Identifier of the running batch' },
    dataType: 'String',
    value: { dataType: DataType.String, value: 'B-2024-017' },
  });

  addIdentification(addressSpace, namespace, bioreactor);
  return startSimulation([temperature, ph, stirrer]);
}

/**
 * Add an `Identification` object typed MachineIdentificationType. The
 * trimmed companion NodeSet lacks that type's supertype, so node-opcua
 * cannot instantiate it. The object and its properties are therefore added
 * one by one, with the BrowseNames the type declares.
 */
function addIdentification(
  addressSpace: AddressSpace,
  namespace: Namespace,
  machine: UAObject,
): void {
  const machineryIndex = addressSpace.getNamespaceIndex(MACHINERY_NAMESPACE_URI);
  const diIndex = addressSpace.getNamespaceIndex(DI_NAMESPACE_URI);
  if (machineryIndex < 0 || diIndex < 0) {
    return;
  }

  const identificationType = addressSpace.findObjectType(
    'MachineIdentificationType',
    machineryIndex,
  );
  if (identificationType === null) {
    return;
  }

  const identification = namespace.addObject({
    browseName: { name: 'Identification', namespaceIndex: diIndex },
    nodeId: 's=Bioreactor1.Identification',
    typeDefinition: identificationType.nodeId,
    componentOf: machine,
    description: { locale: 'en', text: 'Nameplate of the bioreactor' },
  });

  namespace.addVariable({
    propertyOf: identification,
    browseName: { name: 'ProductInstanceUri', namespaceIndex: diIndex },
    nodeId: 's=Bioreactor1.Identification.ProductInstanceUri',
    accessLevel: 'CurrentRead',
    description: {
      locale: 'en',
      text: 'A globally unique resource identifier provided by the manufacturer of the machine',
    },
    dataType: 'String',
    value: { dataType: DataType.String, value: 'urn:weft:test:bioreactor:0001' },
  });

  namespace.addVariable({
    propertyOf: identification,
    browseName: { name: 'Location', namespaceIndex: machineryIndex },
    nodeId: 's=Bioreactor1.Identification.Location',
    description: {
      locale: 'en',
      text: 'Location of the machine in a scheme specific to the end user',
    },
    dataType: 'String',
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    rolePermissions: READ_ONLY_FOR_ANONYMOUS,
    value: { dataType: DataType.String, value: 'Lab 2.14' },
  });
}

/** Vary temperature, pH and stirrer speed around their setpoints once a second. */
function startSimulation([temperature, ph, stirrer]: UAVariable[]): SimulationHandle {
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    temperature?.setValueFromSource({
      dataType: DataType.Double,
      value: 37 + 0.5 * Math.sin(tick / 10),
    });
    ph?.setValueFromSource({ dataType: DataType.Double, value: 7 + 0.1 * Math.sin(tick / 7) });
    stirrer?.setValueFromSource({
      dataType: DataType.Double,
      value: 300 + 20 * Math.sin(tick / 5),
    });
  }, 1000);
  timer.unref();

  return { stop: () => clearInterval(timer) };
}

/** Add `count` Double variables, 100 per object, below a `Generated` folder. */
export function addGeneratedVariables(
  namespace: Namespace,
  objects: UAObject,
  count: number,
): void {
  const folder = namespace.addFolder(objects, { browseName: 'Generated', nodeId: 's=Generated' });
  const perObject = 100;

  for (let objectIndex = 0; objectIndex * perObject < count; objectIndex += 1) {
    const device = namespace.addObject({
      browseName: `Device${objectIndex}`,
      nodeId: `s=Generated.Device${objectIndex}`,
      organizedBy: folder,
    });
    const variables = Math.min(perObject, count - objectIndex * perObject);
    for (let index = 0; index < variables; index += 1) {
      namespace.addVariable({
        componentOf: device,
        browseName: `Signal${index}`,
        nodeId: `s=Generated.Device${objectIndex}.Signal${index}`,
        dataType: 'Double',
        accessLevel: 'CurrentRead',
        value: { dataType: DataType.Double, value: index },
      });
    }
  }
}
