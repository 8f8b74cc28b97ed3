# modelgate's own module (not Jetty's): see README "Running several nodes". Off unless enabled:
#   java -jar $JETTY_HOME/start.jar --add-modules=modelgate-sessions-jdbc
# writes start.d/modelgate-sessions-jdbc.ini from the template below; edit the database URL there.

[description]
Keeps browser sessions (the sign-in pac4j stores in the session) in PostgreSQL through Jetty's own
session-store-jdbc, so every node behind a load balancer sees the same sessions and a node that dies logs
nobody out. Needs lib/postgresql.jar (target/postgresql.jar of the build) in this base.

[tags]
modelgate
session

[depend]
session-store-jdbc
session-cache-hash

[lib]
lib/postgresql.jar

[ini]
# Plain JDBC driver connections: no JNDI, no pool library on the server class path.
db-connection-type=driver

[ini-template]
## Browser sessions in PostgreSQL, shared by every modelgate node (README "Running several nodes").

## The database. Jetty connects through the JDBC driver in lib/postgresql.jar and creates its table
## (JettySessions, with two indexes) on first start; the user needs CREATE on the schema then, afterwards only
## SELECT, INSERT, UPDATE, DELETE. Keep the password out of this file: the driver reads it from a pgpass file
## (host:port:database:user:password) named by the environment variable PGPASSFILE or by
## -Dorg.postgresql.pgpassfile=/run/secrets/modelgate-pgpass on the java command line.
## Jetty 12.1's start.jar does not take the connection type from an ini file: there, also give db-connection-type=driver
## on the start.jar command line.
db-connection-type=driver
jetty.session.jdbc.driverClass=org.postgresql.Driver
jetty.session.jdbc.driverUrl=jdbc:postgresql://db.example.com:5432/modelgate?user=modelgate

## This node's name, different on every node sharing the database: Jetty puts it in session ids and in the
## lastNode column, and each node scavenges the expired sessions it managed last. Set it per node on the command
## line (jetty.sessionIdManager.workerName=node1) or with the environment variable JETTY_WORKER_INSTANCE=1
## (Jetty's default name is node$JETTY_WORKER_INSTANCE, node0 without it: the same on every node).
# jetty.sessionIdManager.workerName=node1

## Evict a session from this node's memory as soon as its last request ends (0), so the next request, on whichever
## node the balancer picks, reads it from the database: a sign-out or a new sign-in on one node counts on every node
## at its next request. Costs one SELECT by primary key per request that carries a session cookie, on a new
## connection each time (driver connections are not pooled); bearer calls carry none and cost nothing.
jetty.session.evictionPolicy=0
## Write a changed session before the response is committed, not after: the redirect that ends a sign-in may send
## the browser to another node before this request has finished.
jetty.session.flushOnResponseCommit=true
## A session that can no longer be read (e.g. classes changed in an upgrade) is deleted; its user signs in again.
jetty.session.removeUnloadableSessions=true
## Write a session whose only change is its access time at most every 60 s (changed attributes are written at
## once). Keep it far below session.idle.timeout.minutes (30 min): other nodes judge expiry by the stored time.
jetty.session.savePeriod.seconds=60

## Scavenging: every 600 s each node deletes the expired sessions it managed last; sessions of a node that is gone
## are deleted by any node once they are expired for gracePeriod (3600 s), orphans after 10 x gracePeriod.
## Jetty's defaults, named here so they are not a surprise.
jetty.sessionScavengeInterval.seconds=600
jetty.session.gracePeriod.seconds=3600
