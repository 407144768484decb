using System.Data.Common;
using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;

namespace ProcurementBot.Storage;

/// <summary>Which failures of a store pass: callers outside the storage adapters ask here rather than know their exceptions.</summary>
public static class StoreFailures
{
    /// <summary>
    /// Cosmos DB timing out, throttling or unavailable (408, 429, 449, 5xx), or SQLite busy or locked: trying again
    /// later may succeed.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        CosmosException cosmos => cosmos.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or (HttpStatusCode)449
            || (int)cosmos.StatusCode >= 500,
        // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the file.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        DbException db => db.IsTransient,
        _ => false,
    };
}
