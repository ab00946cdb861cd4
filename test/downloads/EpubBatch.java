// Runs EPUBCheck on many files in one JVM (a start costs seconds): for each pair of
// arguments FILE.epub OUT.json, writes EPUBCheck's JSON report for FILE to OUT.
// Used by test/downloads/epubcheck.ts when a JDK can compile it; otherwise that harness
// starts `java -jar epubcheck.jar` once per file.
public class EpubBatch {
  public static void main(String[] args) throws Exception {
    for (int i = 0; i + 1 < args.length; i += 2) {
      new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i], "--json", args[i + 1], "-q"});
    }
  }
}
