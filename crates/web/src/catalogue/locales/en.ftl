nav-catalogue = Catalogue
catalogue-title = Catalogue of solutions
catalogue-lead = The best software-hardware solutions of the member cities, for other cities to reuse.
catalogue-search = Find a solution
catalogue-find = Find
catalogue-found = { $count ->
    [one] One solution found
   *[other] { $count } solutions found
}
catalogue-nothing = Nothing found. Try other words or fewer of them.
catalogue-clear-filters = clear the filters
catalogue-facets = Narrow the search
catalogue-facet-nomination = Nomination
catalogue-facet-city = City
catalogue-facet-country = Country
catalogue-facet-year = Year
catalogue-facet-technology = Technologies
catalogue-facet-licence = Licence
catalogue-hardware = Hardware
catalogue-url = Address
catalogue-all = Every published solution, newest first
catalogue-empty = No solution is published yet.
catalogue-open-data = The catalogue as open data
catalogue-unpublished = not published
catalogue-similar = Similar solutions
catalogue-no-similar = No similar solution in the catalogue yet.
catalogue-facet-used_by = Used by cities
catalogue-used-by = { $count ->
    [0] Not used by other cities yet
    [one] Used by one city
   *[other] Used by { $count } cities
}
catalogue-adoptions = Cities using it
catalogue-adoption-status = Status
catalogue-adoption-since = Since
catalogue-adoption-note = Note
catalogue-adoption-history = Earlier statuses
catalogue-adoption-record = Record an adoption
catalogue-adoption-save = Save the adoption
catalogue-status-studying = studying
catalogue-status-piloting = piloting
catalogue-status-in-operation = in operation
catalogue-status-dropped = dropped
