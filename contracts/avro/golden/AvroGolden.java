import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes one datum the way Confluent's Java KafkaAvroSerializer frames it (magic byte 0, 4-byte
 * big-endian schema id, Avro binary) with Apache Avro 1.12.2, and prints it as hex: the golden
 * bytes of goldenBytes.unit.spec.ts. Usage: java AvroGolden <schema.avsc> <datum.json> <schemaId>
 */
public class AvroGolden {
  public static void main(String[] args) throws Exception {
    Schema schema = new Schema.Parser().parse(Files.readString(Path.of(args[0])));
    Object datum = new GenericDatumReader<Object>(schema)
        .read(null, DecoderFactory.get().jsonDecoder(schema, Files.readString(Path.of(args[1]))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(Integer.parseInt(args[2])).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<Object>(schema).write(datum, encoder);
    encoder.flush();
    StringBuilder hex = new StringBuilder();
    for (byte b : out.toByteArray()) hex.append(String.format("%02x", b));
    System.out.println(hex);
  }
}
