using ProcurementBot.Purchases;

namespace ProcurementBot.Tests.Purchases;

/// <summary>RFC 4180 as procurement systems actually export it: quotes, commas and newlines in fields, CRLF, a BOM.</summary>
public sealed class CsvTests
{
    public static TheoryData<string, string[][]> Records => new()
    {
        // text → records, each a list of fields
        { "a,b\nc,d", [["a", "b"], ["c", "d"]] },
        { "a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]] },
        { "a,b\n", [["a", "b"]] },
        { "a,b\r\n", [["a", "b"]] },
        { "\uFEFFpurchaseId,supplier\nPO-1,Dell", [["purchaseId", "supplier"], ["PO-1", "Dell"]] },
        { "\"a\",\"b\"", [["a", "b"]] },
        { "\"Dell, Inc.\",laptop", [["Dell, Inc.", "laptop"]] },
        { "\"27\"\" monitor\",x", [["27\" monitor", "x"]] },
        { "\"\"\"quoted\"\"\"", [["\"quoted\""]] },
        { "\"line one\nline two\",x\ny,z", [["line one\nline two", "x"], ["y", "z"]] },
        { "\"line one\r\nline two\",x", [["line one\r\nline two", "x"]] },
        { "a,,c", [["a", "", "c"]] },
        { "a,b,", [["a", "b", ""]] },
        { "\"\",x", [["", "x"]] },
        { ",\n", [["", ""]] },
        { " a , b ", [[" a ", " b "]] },
        { "a\n\nb\n\n", [["a"], ["b"]] },
        { "a,b\nc", [["a", "b"], ["c"]] },
        { "", [] },
        { "\uFEFF", [] },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Fields_are_split_as_RFC_4180_says(string text, string[][] expected)
    {
        var rows = Csv.Parse(text);

        Assert.Equal(expected, rows.Select(r => r.Fields.ToArray()).ToArray());
    }

    public static TheoryData<string, int[]> LineNumbers => new()
    {
        // text → the line each record starts on, as an editor shows it
        { "h\nr1\nr2", [1, 2, 3] },
        { "h\r\nr1\r\nr2\r\n", [1, 2, 3] },
        { "h,x\n\"two\nlines\",y\nafter,z", [1, 2, 4] },
        { "h,x\r\n\"three\r\nphysical\r\nlines\",y\r\nafter,z", [1, 2, 5] },
        { "h\n\n\nr", [1, 4] },
        { "\uFEFFh\nr", [1, 2] },
    };

    [Theory]
    [MemberData(nameof(LineNumbers))]
    public void Each_record_knows_the_line_it_starts_on_so_errors_can_name_it(string text, int[] lines)
    {
        Assert.Equal(lines, Csv.Parse(text).Select(r => r.Line));
    }

    [Fact]
    public void Ragged_rows_are_kept_with_their_own_field_count_for_the_caller_to_refuse()
    {
        var rows = Csv.Parse("a,b,c\n1,2,3\n1,2\n1,2,3,4\n");

        Assert.Equal([(1, 3), (2, 3), (3, 2), (4, 4)], rows.Select(r => (r.Line, r.Fields.Count)));
    }

    public static TheoryData<string, string> Unterminated => new()
    {
        // text → the line named in the error
        { "\"open", "Line 1" },
        { "h\n\"open,x", "Line 2" },
        { "h\nok,1\n\"open\nstill open\nand more", "Line 3" },
        { "h\r\n\"closed\r\nfine\",1\r\nx,\"open", "Line 4" },
    };

    [Theory]
    [MemberData(nameof(Unterminated))]
    public void A_quote_that_is_never_closed_is_an_error_naming_the_line_it_opened_on(string text, string line)
    {
        var error = Assert.Throws<FormatException>(() => Csv.Parse(text));

        Assert.StartsWith(line + ":", error.Message, StringComparison.Ordinal);
    }
}
