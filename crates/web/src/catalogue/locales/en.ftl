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
