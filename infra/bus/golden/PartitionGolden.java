import org.apache.kafka.common.utils.Utils;
/** Prints murmur2 and partitions of sample keys as Kafka 4.1.1 computes them: the golden table of partitioner.golden.unit.spec.ts. */
public class PartitionGolden {
  public static void main(String[] args) {
    String[] keys = {"acc-1", "acc-2", "tenant-42", "018f3c9e-0000-7000-8000-000000000000", "01a21b46-8227-7225-bee3-d025ceeba071", "", "a", "ab", "abc", "abcd", "Ünïcødé-租户", "acme-foods", "x".repeat(100)};
    int[] counts = {1, 3, 6, 12, 50};
    for (String key : keys) {
      byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder();
      sb.append(Utils.murmur2(bytes));
      for (int n : counts) sb.append(",").append(Utils.toPositive(Utils.murmur2(bytes)) % n);
      System.out.println(key + "\t" + sb);
    }
  }
}
