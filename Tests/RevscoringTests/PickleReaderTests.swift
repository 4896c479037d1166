import Foundation
import Testing
@testable import Revscoring

/// Bytes from hex.
func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
        let j = hex.index(i, offsetBy: 2)
        out.append(UInt8(hex[i..<j], radix: 16)!)
        i = j
    }
    return out
}

/// Small pickles written by CPython 3.11 + numpy 1.24 (`pickle.dumps(obj, protocol=N).hex()`).
@Suite("Pickle reader")
struct PickleReaderTests {
    func read(_ hex: String) throws -> PickleValue {
        let (value, _) = try PickleReader.read(hexBytes(hex))
        return value
    }

    @Test("protocol 2 Fortran-order float array (bytes via _codecs.encode) reads in C order")
    func fortranArray() throws {
        let v = try read("8002636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c6174696e317105867106527107877108527109284b014b024b0386710a636e756d70790a64747970650a710b58020000006638710c898887710d52710e284b0358010000003c710f4e4e4e4affffffff4affffffff4b0074711062886803583100000000000000000000000000000000000840000000000000c3b03f00000000000010400000000000000040000000000000144071116805867112527113747114622e")
        let array = try NumpyArray(v)
        #expect(array.shape == [2, 3])
        #expect(array.fortranOrder)
        #expect(try array.doubles() == [0, 1, 2, 3, 4, 5])
    }

    @Test("protocol 5 big-endian array through _frombuffer and BYTEARRAY8")
    func protocol5BigEndian() throws {
        let v = try read("80059583000000000000008c126e756d70792e636f72652e6e756d65726963948c0b5f66726f6d627566666572949394289610000000000000003ff8000000000000c000000000000000948c056e756d7079948c0564747970659493948c02663894898887945294284b038c013e944e4e4e4affffffff4affffffff4b007494624b0285948c014394749452942e")
        #expect(try NumpyArray(v).doubles() == [1.5, -2.0])
    }

    @Test("protocol 0 text opcodes")
    func protocol0() throws {
        let v = try read("286470300a56610a70310a286c70320a49310a6146322e350a6156780a70330a614e614930310a617356620a70340a2849310a7470350a732e")
        #expect(v.json() == .object([
            .init("a", .array([.int(1), .double(2.5), .string("x"), .null, .bool(true)])),
            .init("b", .array([.int(1)])),
        ]))
    }

    @Test("bytes, OrderedDict and long integers")
    func scalars() throws {
        #expect(try read("8002635f636f646563730a656e636f64650a7100580500000000c3bf6162710158060000006c6174696e3171028671035271042e").json()
                == .string(String(decoding: [0x00, 0xFF, 0x61, 0x62] as [UInt8], as: UTF8.self)))
        if case let .bytes(b) = try read("8002635f636f646563730a656e636f64650a7100580500000000c3bf6162710158060000006c6174696e3171028671035271042e") {
            #expect(b == [0x00, 0xFF, 0x61, 0x62])
        } else {
            Issue.record("expected bytes")
        }
        #expect(try read("80049530000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c016b944b018c016a944b02752e").json()
                == .object([.init("k", .int(1)), .init("j", .int(2))]))
        let longs = try read("80049521000000000000005d94288a090000000000000000408a0800000000000000804bff4affffffff652e").sequence ?? []
        #expect(longs.count == 4)
        if case .bigInt = longs[0] {} else { Issue.record("2**70 should be a big int") }
        #expect(longs[1].int == Int.min)
        #expect(longs[2].int == 255)
        #expect(longs[3].int == -1)
    }

    @Test("globals outside the allow-list are refused, naming the class")
    func allowList() {
        // pickle.dumps of an object reducing to os.system("echo"), protocol 2 (CPython on Linux).
        let attack = hexBytes("800263706f7369780a73797374656d0a710058040000006563686f71018571025271032e")
        #expect(throws: PickleError.globalNotAllowed(module: "posix", name: "system")) {
            _ = try PickleReader.read(attack)
        }
        #expect(throws: ModelFileError.pickle(.globalNotAllowed(module: "posix", name: "system"))) {
            _ = try Model(bytes: attack)
        }
        let message = String(describing: PickleError.globalNotAllowed(module: "subprocess", name: "Popen"))
        #expect(message.contains("subprocess.Popen"))
    }

    @Test("structural errors are typed, never crashes")
    func structuralErrors() {
        #expect(throws: PickleError.truncated(offset: 0)) { _ = try PickleReader.read([]) }
        #expect(throws: PickleError.self) { _ = try PickleReader.read([0x80, 0x04, 0x61, 0x2E]) }  // APPEND on empty stack
        #expect(throws: PickleError.self) { _ = try PickleReader.read([0x80, 0x04, 0x68, 0x05, 0x2E]) }  // memo never stored
        #expect(throws: PickleError.unsupportedProtocol(9)) { _ = try PickleReader.read([0x80, 0x09, 0x4E, 0x2E]) }
        #expect(throws: PickleError.self) { _ = try PickleReader.read([0x80, 0x04, 0x4E, 0x4E, 0x2E]) }  // two values at STOP
        // A BINBYTES8 claiming 2^62 bytes must fail on length, not try to allocate.
        #expect(throws: PickleError.self) {
            _ = try PickleReader.read([0x80, 0x04, 0x8E, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x2E])
        }
        #expect(throws: ModelFileError.self) { _ = try Model(bytes: [0x80, 0x04, 0x7D, 0x2E]) }  // a dict, not a model
    }

    @Test("a million nested lists are read and freed without recursion")
    func deepNesting() throws {
        // ] p0 ; then repeatedly: ] h(prev) a q(next) 0 — each list holds the previous one.
        var bytes: [UInt8] = [0x80, 0x04, 0x5D, 0x94]
        let depth = 1_000_000
        for i in 0..<depth {
            bytes += [0x5D, 0x6A] + withUnsafeBytes(of: UInt32(i).littleEndian, Array.init) + [0x61, 0x94]
            if i < depth - 1 { bytes += [0x30] }
        }
        bytes += [0x2E]
        #expect(throws: ModelFileError.self) { _ = try Model(bytes: bytes) }
    }
}
